// read_elf(): checks the ELF header against the file size by hand (so that damage is named
// by offset), then lets libelf read the file (or a snapshot of a small one) and assembles the
// facts from its parts.
#include "collect/elf/elf_reader.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include "collect/elf/elf_parts.hpp"
#include "collect/elf/elf_session.hpp"

namespace premigrate::collect::elf {
namespace {

// The ELF header fields needed to check the tables against the file, decoded from raw
// bytes in the file's own byte order (gABI: the layout differs only in address width).
struct RawHeader {
  unsigned char elf_class = 0;
  unsigned char data = 0;
  unsigned char osabi = 0;
  unsigned type = 0;
  unsigned machine = 0;
  std::uint64_t entry = 0, phoff = 0, shoff = 0;
  unsigned phentsize = 0, phnum = 0, shentsize = 0, shnum = 0;
  std::size_t size = 0;  // the ELF header's own size
};

std::uint64_t get(const unsigned char* p, unsigned n, bool msb) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v = (v << 8) | p[msb ? i : n - 1 - i];
  return v;
}

void decode(const unsigned char* b, RawHeader& h) {
  const bool msb = h.data == ELFDATA2MSB;
  h.type = static_cast<unsigned>(get(b + 16, 2, msb));
  h.machine = static_cast<unsigned>(get(b + 18, 2, msb));
  if (h.elf_class == ELFCLASS64) {
    h.entry = get(b + 24, 8, msb);
    h.phoff = get(b + 32, 8, msb);
    h.shoff = get(b + 40, 8, msb);
    h.phentsize = static_cast<unsigned>(get(b + 54, 2, msb));
    h.phnum = static_cast<unsigned>(get(b + 56, 2, msb));
    h.shentsize = static_cast<unsigned>(get(b + 58, 2, msb));
    h.shnum = static_cast<unsigned>(get(b + 60, 2, msb));
  } else {
    h.entry = get(b + 24, 4, msb);
    h.phoff = get(b + 28, 4, msb);
    h.shoff = get(b + 32, 4, msb);
    h.phentsize = static_cast<unsigned>(get(b + 42, 2, msb));
    h.phnum = static_cast<unsigned>(get(b + 44, 2, msb));
    h.shentsize = static_cast<unsigned>(get(b + 46, 2, msb));
    h.shnum = static_cast<unsigned>(get(b + 48, 2, msb));
  }
}

std::string type_name(unsigned t) {
  switch (t) {
    case ET_REL:
      return "rel";
    case ET_EXEC:
      return "exec";
    case ET_DYN:
      return "dyn";
    case ET_CORE:
      return "core";
    default:
      return "ET_" + std::to_string(t);
  }
}

std::string osabi_name(unsigned char a) {
  switch (a) {
    case ELFOSABI_SYSV:
      return "SYSV";
    case ELFOSABI_GNU:
      return "GNU";
    case ELFOSABI_NETBSD:
      return "NetBSD";
    case ELFOSABI_SOLARIS:
      return "Solaris";
    case ELFOSABI_FREEBSD:
      return "FreeBSD";
    case ELFOSABI_OPENBSD:
      return "OpenBSD";
    case ELFOSABI_ARM:
      return "ARM";
    case ELFOSABI_STANDALONE:
      return "Standalone";
    default:
      return "OSABI_" + std::to_string(a);
  }
}

// True when [off, off+len) lies inside a file of `size` bytes, without overflow.
bool fits(std::uint64_t off, std::uint64_t len, std::uint64_t size) {
  return off <= size && len <= size - off;
}

// Files from 1 MiB up are mapped; files up to 64 KiB are read whole with one pread into a
// per-thread buffer and parsed from memory (libelf's elf_memory); the ones between are read
// section by section with pread. On the ELF-dense bench root (bench/RESULTS.md, issue 21)
// mapping every file cost the most CPU and reading every file into buffers the most memory
// (large libraries' .dynsym and .dynstr on the heap); a small object read section by section
// took a dozen reads of a few hundred bytes (headers, dynamic section, symbol and version
// tables, each a system call), where one read of the whole file copies less than those calls
// cost.
constexpr std::uint64_t kMapFrom = std::uint64_t{1} << 20;
constexpr std::uint64_t kReadWholeUpTo = std::uint64_t{64} << 10;

// Where the reader's bytes come from: the file itself, or a snapshot of a small file (read
// whole; from then on every read and libelf see the same bytes, even if the file changes). The
// snapshot is the thread's one buffer: one Source a thread at a time.
class Source {
 public:
  Source(int fd, std::uint64_t file_size) : fd_(fd), size_(file_size) {
    if (file_size == 0 || file_size > kReadWholeUpTo) return;
    // Never more than kReadWholeUpTo bytes a thread, reused from file to file.
    thread_local std::vector<unsigned char> buffer;
    buffer.resize(static_cast<std::size_t>(file_size));
    // A network or FUSE file system may return less than asked before the end of the file:
    // read on until the buffer is full or the file ends.
    std::size_t have = 0;
    while (have < buffer.size()) {
      const ssize_t got =
          pread(fd, buffer.data() + have, buffer.size() - have, static_cast<off_t>(have));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      have += static_cast<std::size_t>(got);
    }
    // Anything but the whole file (an error, or a file that shrank since its fstat): read
    // section by section instead, where the damage or error is reported at its offset.
    if (have != buffer.size()) return;
    bytes_ = buffer.data();
  }

  [[nodiscard]] std::uint64_t size() const { return size_; }

  // pread(2)'s contract: the bytes at `off`, fewer at the end of the file, -1 on an error.
  ssize_t read(void* to, std::size_t n, std::uint64_t off) const {
    if (bytes_ == nullptr) return pread(fd_, to, n, static_cast<off_t>(off));
    if (off >= size_) return 0;
    const auto len = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - off));
    std::memcpy(to, bytes_ + off, len);
    return static_cast<ssize_t>(len);
  }

  // libelf over the snapshot, or over the descriptor (mapped from kMapFrom bytes up).
  [[nodiscard]] ElfHandle open() const {
    if (bytes_ != nullptr) return open_memory(bytes_, static_cast<std::size_t>(size_));
    return open_fd(fd_, size_ >= kMapFrom);
  }

 private:
  int fd_;
  std::uint64_t size_;
  unsigned char* bytes_ = nullptr;
};

struct Segments {
  bool interp = false;
  bool dynamic = false;
  bool entry_executable = false;  // e_entry lies inside a PT_LOAD with PF_X
};

constexpr unsigned kMaxProgramHeaders = 4096;  // real objects have a dozen
constexpr std::size_t kMaxInterp = 4096;       // PATH_MAX

// Program headers are read by hand with pread (not through libelf) so that a file whose
// section header table is damaged still yields its interpreter and linking mode.
Segments read_segments(const Source& src, const RawHeader& h, facts::ElfObject& obj,
                       const std::string& path, core::Diagnostics& diags) {
  Segments seg;
  const std::uint64_t file_size = src.size();
  const bool is64 = h.elf_class == ELFCLASS64;
  const unsigned need = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
  if (h.phnum == 0) return seg;
  if (h.phentsize < need || h.phnum > kMaxProgramHeaders) {
    diags.warn("elf.bad_program_header", path,
               "e_phentsize " + std::to_string(h.phentsize) + " / e_phnum " +
                   std::to_string(h.phnum) + " are not plausible",
               "offset " + hex(h.phoff));
    return seg;
  }
  const bool msb = h.data == ELFDATA2MSB;
  // The whole table in one read (at most kMaxProgramHeaders entries, and no more than the file
  // holds); an entry the read did not cover is reported as before, at its own offset.
  const std::uint64_t table = std::uint64_t{h.phnum} * h.phentsize;
  std::vector<unsigned char> tbl(static_cast<std::size_t>(
      h.phoff < file_size ? std::min<std::uint64_t>(table, file_size - h.phoff) : 0));
  std::size_t have = 0;
  if (!tbl.empty()) {
    const ssize_t got = src.read(tbl.data(), tbl.size(), h.phoff);
    have = got > 0 ? static_cast<std::size_t>(got) : 0;
  }
  for (unsigned i = 0; i < h.phnum; ++i) {
    const std::uint64_t rel = std::uint64_t{i} * h.phentsize;
    const std::uint64_t at = h.phoff + rel;
    if (rel + need > have) {
      diags.warn("elf.truncated", path, "program header unreadable", "offset " + hex(at));
      return seg;
    }
    const unsigned char* ph = tbl.data() + rel;
    // gABI: p_type first; p_offset and p_filesz follow at class-dependent places.
    const auto type = static_cast<std::uint32_t>(get(ph, 4, msb));
    const std::uint64_t off = is64 ? get(ph + 8, 8, msb) : get(ph + 4, 4, msb);
    const std::uint64_t filesz = is64 ? get(ph + 32, 8, msb) : get(ph + 16, 4, msb);
    if (type == PT_DYNAMIC) seg.dynamic = true;
    if (type == PT_LOAD && h.entry != 0) {
      const auto flags =
          static_cast<std::uint32_t>(is64 ? get(ph + 4, 4, msb) : get(ph + 24, 4, msb));
      const std::uint64_t vaddr = is64 ? get(ph + 16, 8, msb) : get(ph + 8, 4, msb);
      const std::uint64_t memsz = is64 ? get(ph + 40, 8, msb) : get(ph + 20, 4, msb);
      if ((flags & PF_X) && h.entry >= vaddr && h.entry - vaddr < memsz)
        seg.entry_executable = true;
    }
    if (type != PT_INTERP) continue;
    seg.interp = true;
    if (!fits(off, filesz, file_size)) {
      diags.warn("elf.truncated", path, "PT_INTERP lies past the end of the file",
                 "offset " + hex(off));
      continue;
    }
    std::array<char, kMaxInterp> buf{};
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(filesz, kMaxInterp));
    const ssize_t got = src.read(buf.data(), n, off);
    if (got <= 0) continue;
    auto s = bounded_string(buf.data(), static_cast<std::size_t>(got));
    obj.interp = s ? std::string(*s) : std::string(buf.data(), static_cast<std::size_t>(got));
  }
  return seg;
}

// Exported symbols are read for libraries only (a program's exports serve nobody).
bool exports_wanted(const facts::ElfObject& obj) { return obj.type == "dyn" && !obj.is_pie; }

}  // namespace

void mark_symbols_unread(facts::ElfObject& obj, const std::string& why, core::Diagnostics& diags) {
  obj.symbols_pending = false;
  obj.exports_pending = false;
  obj.symbols_capped = true;
  diags.warn("elf.symbols_unread", obj.path,
             why + "; its symbols were not read, so its symbol-level checks do not run");
}

void read_deferred_symbols(int fd, facts::ElfObject& obj, core::Diagnostics& diags, bool undefined,
                           bool exports) {
  undefined = undefined && obj.symbols_pending;
  exports = exports && obj.exports_pending;
  if (!undefined && !exports) return;
  auto unread = [&](const std::string& why) { mark_symbols_unread(obj, why, diags); };
  struct stat st {};
  if (fstat(fd, &st) != 0) return unread(std::string("fstat failed: ") + std::strerror(errno));
  const Source src(fd, static_cast<std::uint64_t>(st.st_size));
  ElfHandle handle = src.open();
  detail::ReadContext ctx{handle.get(), obj.path, diags};
  if (!handle || elf_kind(ctx.elf) != ELF_K_ELF || gelf_getehdr(ctx.elf, &ctx.ehdr) == nullptr)
    return unread("the file is no longer a readable ELF object");
  // The first read reported any damage of the dynamic and version sections; they are read
  // again into a scratch object with scratch diagnostics (nothing reported twice), to build the
  // version maps and to check that this is still the object the first read saw.
  facts::ElfObject scratch;
  core::Diagnostics quiet;
  detail::ReadContext vctx{ctx.elf, obj.path, quiet};
  std::size_t shnum = 0;
  vctx.have_sections = elf_getshdrnum(ctx.elf, &shnum) == 0 && shnum != 0;
  ctx.have_sections = vctx.have_sections;
  if (!ctx.have_sections) return unread("the file no longer has sections");
  (void)detail::read_dynamic(vctx, scratch);
  detail::VersionMap needed;
  detail::VersionMap defined;
  detail::read_versions(vctx, scratch, needed, defined);
  if (machine_name(ctx.ehdr.e_machine, ctx.ehdr.e_ident[EI_CLASS], ctx.ehdr.e_ident[EI_DATA]) !=
          obj.machine ||
      type_name(ctx.ehdr.e_type) != obj.type || scratch.soname != obj.soname ||
      scratch.needed != obj.needed || scratch.verneed != obj.verneed ||
      scratch.verdef != obj.verdef)
    return unread("the file changed between the two reads");
  detail::read_dynamic_symbols(ctx, obj, needed, defined, undefined, exports);
  if (undefined) obj.symbols_pending = false;
  if (exports) obj.exports_pending = false;
}

bool has_elf_magic(const unsigned char* bytes, std::size_t n) {
  return bytes != nullptr && n >= SELFMAG && std::memcmp(bytes, ELFMAG, SELFMAG) == 0;
}

std::optional<facts::ElfObject> read_elf(int fd, const std::string& root_path,
                                         core::Diagnostics& diags, const ElfReadOptions& options) {
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    diags.warn("elf.read", root_path, std::string("fstat failed: ") + std::strerror(errno));
    return std::nullopt;
  }
  const Source src(fd, static_cast<std::uint64_t>(st.st_size));
  const std::uint64_t file_size = src.size();
  std::array<unsigned char, sizeof(Elf64_Ehdr)> head{};
  const ssize_t got = src.read(head.data(), head.size(), 0);
  if (got < 0) {
    diags.warn("elf.read", root_path, std::string("read failed: ") + std::strerror(errno));
    return std::nullopt;
  }
  const auto have = static_cast<std::size_t>(got);
  if (!has_elf_magic(head.data(), have)) {
    diags.warn("elf.not_elf", root_path, "no ELF magic", "offset 0x0");
    return std::nullopt;
  }
  if (have < EI_NIDENT) {
    diags.warn("elf.truncated", root_path, "file ends inside the ELF identification",
               "offset " + hex(have));
    return std::nullopt;
  }
  RawHeader h;
  h.elf_class = head[EI_CLASS];
  h.data = head[EI_DATA];
  h.osabi = head[EI_OSABI];
  if (h.elf_class != ELFCLASS32 && h.elf_class != ELFCLASS64) {
    diags.warn("elf.bad_header", root_path, "unknown EI_CLASS " + std::to_string(h.elf_class),
               "offset " + hex(EI_CLASS));
    return std::nullopt;
  }
  if (h.data != ELFDATA2LSB && h.data != ELFDATA2MSB) {
    diags.warn("elf.bad_header", root_path, "unknown EI_DATA " + std::to_string(h.data),
               "offset " + hex(EI_DATA));
    return std::nullopt;
  }
  h.size = h.elf_class == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
  if (have < h.size) {
    diags.warn("elf.truncated", root_path, "file ends inside the ELF header",
               "offset " + hex(have));
    return std::nullopt;
  }
  decode(head.data(), h);

  facts::ElfObject obj;
  obj.path = root_path;
  obj.elf_class = h.elf_class == ELFCLASS64 ? 64 : 32;
  obj.data = h.data == ELFDATA2LSB ? "lsb" : "msb";
  obj.machine = machine_name(h.machine, h.elf_class, h.data);
  obj.type = type_name(h.type);
  obj.osabi = osabi_name(h.osabi);

  // Past this point the header itself is sound: damage below yields partial facts.
  bool sections_ok = true;
  if (h.phnum != 0 && !fits(h.phoff, std::uint64_t{h.phnum} * h.phentsize, file_size)) {
    diags.warn("elf.truncated", root_path, "program header table lies past the end of the file",
               "offset " + hex(h.phoff));
    return obj;
  }
  if (h.shoff != 0 && !fits(h.shoff, std::uint64_t{h.shnum} * h.shentsize, file_size)) {
    diags.warn("elf.bad_section_headers", root_path,
               "section header table lies past the end of the file", "offset " + hex(h.shoff));
    sections_ok = false;
  } else if (h.shoff != 0 && h.shentsize != 0 &&
             h.shentsize != (h.elf_class == ELFCLASS64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr))) {
    diags.warn(
        "elf.bad_section_headers", root_path,
        "e_shentsize " + std::to_string(h.shentsize) + " is not the size of a section header",
        "offset " + hex(h.shoff));
    sections_ok = false;
  }
  const Segments seg = read_segments(src, h, obj, root_path, diags);
  if (!sections_ok) return obj;

  ElfHandle handle = src.open();
  if (!handle || elf_kind(handle.get()) != ELF_K_ELF) {
    diags.warn("elf.open", root_path, "libelf cannot read the object: " + last_error());
    return obj;
  }
  detail::ReadContext ctx{handle.get(), root_path, diags};
  if (gelf_getehdr(ctx.elf, &ctx.ehdr) == nullptr) {
    diags.warn("elf.bad_header", root_path, "ELF header unreadable: " + last_error(), "offset 0x0");
    return obj;
  }
  std::size_t shstrndx = 0;
  std::size_t shnum = 0;
  if (elf_getshdrnum(ctx.elf, &shnum) != 0 || elf_getshdrstrndx(ctx.elf, &shstrndx) != 0 ||
      (shnum != 0 && shstrndx >= shnum)) {
    diags.warn("elf.bad_section_headers", root_path, "section header string table index is invalid",
               "offset " + hex(h.shoff));
  } else {
    ctx.have_sections = shnum != 0;
  }

  bool has_symtab = false;
  detail::DynamicInfo dyn;
  if (ctx.have_sections) {
    for (Elf_Scn* scn = elf_nextscn(ctx.elf, nullptr); scn != nullptr;
         scn = elf_nextscn(ctx.elf, scn)) {
      GElf_Shdr shdr;
      if (gelf_getshdr(scn, &shdr) != nullptr && shdr.sh_type == SHT_SYMTAB) has_symtab = true;
    }
    dyn = detail::read_dynamic(ctx, obj);
  }
  const bool linked = h.type == ET_EXEC || h.type == ET_DYN;
  // A static-pie is ET_DYN with a dynamic section (for its own relocations) but no
  // interpreter and nothing needed.
  obj.is_static = linked && (!seg.dynamic || (!seg.interp && dyn.flag_pie && obj.needed.empty()));
  // readelf and file(1) call an ET_DYN a PIE only when DT_FLAGS_1 has DF_1_PIE, which ld sets
  // since binutils 2.26; CentOS 7's binutils 2.25 did not. Without the flag, an object is a
  // PIE when it can be started: it asks for an interpreter, its entry point lies in an
  // executable segment, and it has no soname (libc.so.6 has the first two, and a soname).
  // A shared object with a .interp section but entry 0 is a library, not a PIE.
  obj.is_pie = h.type == ET_DYN &&
               (dyn.flag_pie || (seg.interp && seg.entry_executable && obj.soname.empty()));
  obj.stripped = !has_symtab;
  if (ctx.have_sections) {
    detail::VersionMap needed;
    detail::VersionMap defined;
    detail::read_versions(ctx, obj, needed, defined);
    const bool exports = exports_wanted(obj);
    detail::read_dynamic_symbols(ctx, obj, needed, defined, options.symbols,
                                 options.symbols && options.exports && exports);
    obj.symbols_pending = !options.symbols;
    obj.exports_pending = exports && !(options.symbols && options.exports);
    detail::read_toolchain(ctx, obj.toolchain);
  }
  return obj;
}

}  // namespace premigrate::collect::elf
