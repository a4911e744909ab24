// Toolchain hints: .comment strings (GCC, clang, ld versions), the Go build ID note and the
// Go version from the .go.buildinfo blob. All reads are bounded by the section's data.
#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>

#include "collect/elf/elf_parts.hpp"
#include "collect/elf/elf_session.hpp"

namespace premigrate::collect::elf::detail {
namespace {

constexpr std::size_t kMaxComments = 64;
constexpr std::size_t kMaxCommentLength = 512;
constexpr std::size_t kMaxGoString = 1024;
// Go's debug/buildinfo: the blob starts with this 14-byte magic, then the pointer size and a
// flags byte (bit 0: big-endian pointers, bit 1: version strings inline as varint-prefixed).
constexpr std::string_view kGoBuildInfoMagic("\xff Go buildinf:", 14);
constexpr unsigned kGoNoteType = 4;  // NT_GOBUILDID in Go's linker

std::optional<std::string_view> section_bytes(const ReadContext& ctx, std::string_view name) {
  GElf_Shdr shdr;
  Elf_Scn* scn = find_section(ctx.elf, name, &shdr);
  if (scn == nullptr || shdr.sh_type == SHT_NOBITS) return std::nullopt;
  Elf_Data* data = elf_rawdata(scn, nullptr);
  if (data == nullptr || data->d_buf == nullptr) {
    if (shdr.sh_size != 0) {
      ctx.warn("elf.bad_section", "section data unreadable: " + last_error(),
               "section " + std::string(name));
    }
    return std::nullopt;
  }
  return std::string_view(static_cast<const char*>(data->d_buf), data->d_size);
}

void read_comments(const ReadContext& ctx, facts::ElfToolchain& out) {
  auto bytes = section_bytes(ctx, ".comment");
  if (!bytes) return;
  std::string_view rest = *bytes;
  while (!rest.empty() && out.comments.size() < kMaxComments) {
    std::size_t nul = rest.find('\0');
    std::string_view s = rest.substr(0, nul);
    rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
    if (s.empty()) continue;
    std::string item(s.substr(0, kMaxCommentLength));
    if (std::find(out.comments.begin(), out.comments.end(), item) == out.comments.end()) {
      out.comments.push_back(std::move(item));
    }
  }
}

void read_go_buildid(const ReadContext& ctx, facts::ElfToolchain& out) {
  GElf_Shdr shdr;
  Elf_Scn* scn = find_section(ctx.elf, ".note.go.buildid", &shdr);
  if (scn == nullptr) return;
  Elf_Data* data = elf_getdata(scn, nullptr);
  if (data == nullptr || data->d_buf == nullptr) return;
  // gABI notes: namesz/descsz/type header, name and desc padded; gelf_getnote checks bounds.
  std::size_t off = 0;
  for (int guard = 0; guard < 64 && off < data->d_size; ++guard) {
    GElf_Nhdr nh;
    std::size_t name_off = 0;
    std::size_t desc_off = 0;
    std::size_t next = gelf_getnote(data, off, &nh, &name_off, &desc_off);
    if (next == 0 || next <= off) break;
    const char* base = static_cast<const char*>(data->d_buf);
    std::string_view name(base + name_off, nh.n_namesz);
    if (nh.n_type == kGoNoteType && name.substr(0, 2) == "Go") {
      std::string_view desc(base + desc_off, std::min<std::size_t>(nh.n_descsz, kMaxGoString));
      out.go_buildid = std::string(desc.substr(0, desc.find('\0')));
      return;
    }
    off = next;
  }
}

// A little-endian base-128 varint as Go's encoding/binary writes it.
std::optional<std::uint64_t> read_uvarint(std::string_view b, std::size_t& pos) {
  std::uint64_t v = 0;
  for (unsigned shift = 0; shift < 64 && pos < b.size(); shift += 7) {
    const auto c = static_cast<unsigned char>(b[pos++]);
    v |= static_cast<std::uint64_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) return v;
  }
  return std::nullopt;
}

std::uint64_t read_word(std::string_view b, std::size_t pos, unsigned size, bool big_endian) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < size; ++i) {
    const auto c = static_cast<unsigned char>(b[pos + (big_endian ? i : size - 1 - i)]);
    v = (v << 8) | c;
  }
  return v;
}

// Bytes at a virtual address, found through the allocated sections that hold file data.
std::optional<std::string_view> bytes_at_vaddr(const ReadContext& ctx, std::uint64_t vaddr,
                                               std::uint64_t len) {
  for (Elf_Scn* scn = elf_nextscn(ctx.elf, nullptr); scn != nullptr;
       scn = elf_nextscn(ctx.elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type == SHT_NOBITS ||
        (shdr.sh_flags & SHF_ALLOC) == 0 || vaddr < shdr.sh_addr ||
        vaddr - shdr.sh_addr >= shdr.sh_size) {
      continue;
    }
    Elf_Data* data = elf_rawdata(scn, nullptr);
    if (data == nullptr || data->d_buf == nullptr) return std::nullopt;
    const std::uint64_t at = vaddr - shdr.sh_addr;
    if (at > data->d_size || len > data->d_size - at) return std::nullopt;
    return std::string_view(static_cast<const char*>(data->d_buf) + at, len);
  }
  return std::nullopt;
}

void read_go_version(const ReadContext& ctx, facts::ElfToolchain& out) {
  auto bytes = section_bytes(ctx, ".go.buildinfo");
  if (!bytes) return;
  std::string_view b = *bytes;
  if (b.size() < 32 || b.substr(0, kGoBuildInfoMagic.size()) != kGoBuildInfoMagic) {
    ctx.warn("elf.go_buildinfo", "no Go buildinfo header at the start of the section",
             "section .go.buildinfo");
    return;
  }
  const auto ptr_size = static_cast<unsigned char>(b[14]);
  const auto flags = static_cast<unsigned char>(b[15]);
  std::string version;
  if ((flags & 2) != 0) {  // Go 1.18+: the version string follows the 32-byte header
    std::size_t pos = 32;
    auto len = read_uvarint(b, pos);
    if (len && *len <= kMaxGoString && *len <= b.size() - pos) version = b.substr(pos, *len);
  } else if ((ptr_size == 4 || ptr_size == 8) && b.size() >= 16u + 2u * ptr_size) {
    // Before Go 1.18: a pointer to a Go string header {data pointer, length}.
    const bool be = (flags & 1) != 0;
    const std::uint64_t hdr_addr = read_word(b, 16, ptr_size, be);
    if (auto hdr = bytes_at_vaddr(ctx, hdr_addr, std::uint64_t{2} * ptr_size)) {
      const std::uint64_t data_addr = read_word(*hdr, 0, ptr_size, be);
      const std::uint64_t len = read_word(*hdr, ptr_size, ptr_size, be);
      if (len <= kMaxGoString) {
        if (auto s = bytes_at_vaddr(ctx, data_addr, len)) version = *s;
      }
    }
  }
  if (version.empty()) {
    ctx.warn("elf.go_buildinfo", "Go buildinfo version string unreadable", "section .go.buildinfo");
    return;
  }
  out.go_version = std::move(version);
}

}  // namespace

void read_toolchain(const ReadContext& ctx, facts::ElfToolchain& out) {
  read_comments(ctx, out);
  read_go_buildid(ctx, out);
  read_go_version(ctx, out);
}

}  // namespace premigrate::collect::elf::detail
