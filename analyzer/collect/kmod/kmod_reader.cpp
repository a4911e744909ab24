// read_module(): plain modules are read through libelf's own read-only mapping; compressed
// ones are mapped read-only, decompressed in memory under a cap, and read from that buffer.
#include "collect/kmod/kmod_reader.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include "collect/elf/elf_reader.hpp"
#include "collect/elf/elf_session.hpp"
#include "collect/kmod/module_sections.hpp"
#include "core/decompress.hpp"

namespace premigrate::collect::kmod {
namespace {

namespace e = premigrate::collect::elf;
using core::Compression;
using core::DecompressStatus;

constexpr std::array<std::string_view, 4> kSuffixes = {".ko", ".ko.xz", ".ko.zst", ".ko.gz"};

// A read-only private mapping of a whole file, unmapped on destruction.
class Mapping {
 public:
  Mapping(int fd, std::size_t size) : size_(size) {
    void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) addr_ = p;
  }
  ~Mapping() {
    if (addr_ != nullptr) munmap(addr_, size_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  [[nodiscard]] const unsigned char* data() const { return static_cast<unsigned char*>(addr_); }

 private:
  void* addr_ = nullptr;
  std::size_t size_;
};

void apply_signature(const detail::SignatureCheck& sig, const std::string& path,
                     core::Diagnostics& diags, facts::KernelModule& m) {
  if (sig.present && !sig.consistent) {
    diags.warn("kmod.bad_signature", path,
               "signature trailer declares a length larger than the module",
               "struct module_signature at end of file");
  }
  m.signature = sig.present && sig.consistent;
}

}  // namespace

bool is_module_name(const std::string& file_name) {
  for (std::string_view s : kSuffixes) {
    if (file_name.size() > s.size() && file_name.ends_with(s)) return true;
  }
  return false;
}

ModulePlace module_place(std::string_view root_path) {
  ModulePlace place;
  for (std::string_view prefix :
       {std::string_view("/lib/modules/"), std::string_view("/usr/lib/modules/")}) {
    if (!root_path.starts_with(prefix)) continue;
    std::string_view rest = root_path.substr(prefix.size());
    const std::size_t slash = rest.find('/');
    if (slash == 0 || slash == std::string_view::npos) return place;
    place.kernel_release = rest.substr(0, slash);
    rest = rest.substr(slash + 1);
    const std::size_t next = rest.find('/');
    const std::string_view area = next == std::string_view::npos ? "" : rest.substr(0, next);
    if (area == "kernel" || area == "extra" || area == "updates" || area == "weak-updates") {
      place.location = area;
    } else {
      place.location = "other";
    }
    place.out_of_tree = area == "extra" || area == "updates" || area == "weak-updates";
    return place;
  }
  return place;
}

std::string name_from_path(std::string_view root_path) {
  std::string_view base = root_path.substr(root_path.rfind('/') + 1);
  for (auto it = kSuffixes.rbegin(); it != kSuffixes.rend(); ++it) {
    if (base.size() > it->size() && base.ends_with(*it)) {
      base.remove_suffix(it->size());
      break;
    }
  }
  std::string name(base);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

std::optional<facts::KernelModule> read_module(int fd, const std::string& root_path,
                                               core::Diagnostics& diags) {
  return read_module(fd, root_path, diags, ReadLimits{});
}

std::optional<facts::KernelModule> read_module(int fd, const std::string& root_path,
                                               core::Diagnostics& diags, const ReadLimits& limits) {
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    diags.warn("kmod.read", root_path, std::string("fstat failed: ") + std::strerror(errno));
    return std::nullopt;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  std::array<unsigned char, 8> head{};
  const ssize_t got = size == 0 ? 0 : pread(fd, head.data(), head.size(), 0);
  if (got < 0) {
    diags.warn("kmod.read", root_path, std::string("read failed: ") + std::strerror(errno));
    return std::nullopt;
  }
  const Compression compression =
      core::detect_compression(head.data(), static_cast<std::size_t>(got));

  facts::KernelModule m;
  m.path = root_path;
  m.compression = core::to_string(compression);
  const ModulePlace place = module_place(root_path);
  m.kernel_release = place.kernel_release;
  m.location = place.location;
  m.out_of_tree = place.out_of_tree;

  if (compression == Compression::kNone) {
    if (!e::has_elf_magic(head.data(), static_cast<std::size_t>(got))) {
      diags.warn("kmod.not_elf", root_path, "neither ELF nor a known compressed stream",
                 "offset 0x0");
      return std::nullopt;
    }
    {
      e::ElfHandle elf = e::open_fd(fd);
      if (!detail::read_module_sections(elf.get(), root_path, diags, m)) return std::nullopt;
    }
    std::array<unsigned char, detail::kSignatureTrailer> tail{};
    const std::size_t want = std::min(size, tail.size());
    const ssize_t n = pread(fd, tail.data(), want, static_cast<off_t>(size - want));
    if (n == static_cast<ssize_t>(want)) {
      apply_signature(detail::check_signature(tail.data(), want, size), root_path, diags, m);
    }
  } else {
    Mapping map(fd, size);
    if (map.data() == nullptr) {
      diags.warn("kmod.read", root_path, std::string("mmap failed: ") + std::strerror(errno));
      return std::nullopt;
    }
    using Clock = std::chrono::steady_clock;
    auto allowed = std::chrono::duration_cast<Clock::duration>(limits.max_decompress_time);
    if (limits.budget != nullptr) {
      const auto left = limits.budget->left();
      if (left.count() <= 0) {
        diags.warn("kmod.time_budget", root_path,
                   "not decompressed: the scan's module decompression time budget (" +
                       std::to_string(limits.budget->total().count() / 1000) + " s) is spent",
                   m.compression + " stream");
        return std::nullopt;
      }
      allowed = std::min(allowed, std::chrono::duration_cast<Clock::duration>(left));
    }
    const auto started = Clock::now();
    core::Decompressed out =
        core::decompress(compression, map.data(), size, limits.max_decompressed, started + allowed);
    if (limits.budget != nullptr) limits.budget->spend(Clock::now() - started);
    if (out.status == DecompressStatus::kTimeout) {
      diags.warn("kmod.time_budget", root_path,
                 "decompression stopped after " +
                     std::to_string(
                         std::chrono::duration_cast<std::chrono::milliseconds>(allowed).count()) +
                     " ms, its time budget; the module is not checked",
                 "offset " + e::hex(out.input_offset) + " of the " + m.compression + " stream");
      return std::nullopt;
    }
    if (out.status == DecompressStatus::kTooLarge) {
      diags.warn("kmod.too_large", root_path,
                 "decompressed module exceeds the cap of " +
                     std::to_string(limits.max_decompressed) + " bytes",
                 "offset " + e::hex(out.input_offset) + " of the " + m.compression + " stream");
      return std::nullopt;
    }
    if (out.status != DecompressStatus::kOk) {
      diags.warn("kmod.decompress", root_path, out.message,
                 "offset " + e::hex(out.input_offset) + " of the " + m.compression + " stream");
      return std::nullopt;
    }
    if (!e::has_elf_magic(out.data(), out.bytes.size())) {
      diags.warn("kmod.not_elf", root_path, "the decompressed stream is not ELF",
                 "offset 0x0 after " + m.compression + " decompression");
      return std::nullopt;
    }
    {
      e::ElfHandle elf = e::open_memory(out.data(), out.bytes.size());
      if (!detail::read_module_sections(elf.get(), root_path, diags, m)) return std::nullopt;
    }
    apply_signature(detail::check_signature(out.data(), out.bytes.size(), out.bytes.size()),
                    root_path, diags, m);
  }
  if (m.name.empty()) m.name = name_from_path(root_path);
  return m;
}

}  // namespace premigrate::collect::kmod
