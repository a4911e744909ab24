// libelf initialisation, the owning handle and bounds-checked section helpers.
#include "collect/elf/elf_session.hpp"

#include <cstring>
#include <mutex>

namespace premigrate::collect::elf {

void ensure_libelf() {
  static std::once_flag once;
  std::call_once(once, [] { (void)elf_version(EV_CURRENT); });
}

ElfHandle::~ElfHandle() {
  if (elf_ != nullptr) elf_end(elf_);
}

ElfHandle& ElfHandle::operator=(ElfHandle&& o) noexcept {
  if (this != &o) {
    if (elf_ != nullptr) elf_end(elf_);
    elf_ = o.elf_;
    o.elf_ = nullptr;
  }
  return *this;
}

ElfHandle open_fd(int fd, bool map) {
  ensure_libelf();
  return ElfHandle(elf_begin(fd, map ? ELF_C_READ_MMAP : ELF_C_READ, nullptr));
}

ElfHandle open_memory(unsigned char* bytes, std::size_t size) {
  ensure_libelf();
  return ElfHandle(elf_memory(reinterpret_cast<char*>(bytes), size));
}

std::string last_error() {
  const char* m = elf_errmsg(-1);
  return m != nullptr ? std::string(m) : std::string("unknown libelf error");
}

std::string machine_name(unsigned machine, unsigned char elf_class, unsigned char data) {
  const bool is64 = elf_class == ELFCLASS64;
  switch (machine) {
    case EM_X86_64:
      return "x86_64";
    case EM_386:
      return "i386";
    case EM_AARCH64:
      return "aarch64";
    case EM_ARM:
      return "arm";
    case EM_PPC64:
      return data == ELFDATA2LSB ? "ppc64le" : "ppc64";
    case EM_PPC:
      return "ppc";
    case EM_S390:
      return is64 ? "s390x" : "s390";
    case EM_RISCV:
      return is64 ? "riscv64" : "riscv32";
    case EM_MIPS:
      return is64 ? "mips64" : "mips";
    case EM_SPARCV9:
      return "sparc64";
    case EM_SPARC:
      return "sparc";
    case EM_IA_64:
      return "ia64";
    case 258:
      return "loongarch64";  // EM_LOONGARCH, newer than some <elf.h>
    default:
      return "EM_" + std::to_string(machine);
  }
}

std::string hex(std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v & 0xf]);
    v >>= 4;
  } while (v != 0);
  return "0x" + out;
}

std::optional<std::string_view> section_name(Elf* e, std::size_t shstrndx, const GElf_Shdr& shdr) {
  const char* n = elf_strptr(e, shstrndx, shdr.sh_name);
  if (n == nullptr) return std::nullopt;
  return std::string_view(n);
}

bool section_table_fits(Elf* e, const GElf_Ehdr& ehdr) {
  std::size_t raw_size = 0;
  if (elf_rawfile(e, &raw_size) == nullptr) return false;
  std::size_t shnum = 0;
  if (elf_getshdrnum(e, &shnum) != 0) return false;
  if (ehdr.e_shoff == 0) return shnum == 0;
  const std::uint64_t need = std::uint64_t{shnum} * ehdr.e_shentsize;
  return ehdr.e_shoff <= raw_size && need <= raw_size - ehdr.e_shoff;
}

Elf_Scn* find_section(Elf* e, std::string_view name, GElf_Shdr* out) {
  std::size_t shstrndx = 0;
  if (elf_getshdrstrndx(e, &shstrndx) != 0) return nullptr;
  for (Elf_Scn* scn = elf_nextscn(e, nullptr); scn != nullptr; scn = elf_nextscn(e, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) continue;
    auto n = section_name(e, shstrndx, shdr);
    if (n && *n == name) {
      if (out != nullptr) *out = shdr;
      return scn;
    }
  }
  return nullptr;
}

std::string_view string_at(Elf* e, std::size_t strndx, std::size_t offset) {
  const char* s = elf_strptr(e, strndx, offset);
  return s != nullptr ? std::string_view(s) : std::string_view();
}

std::optional<std::string_view> bounded_string(const char* p, std::size_t max) {
  const void* nul = std::memchr(p, '\0', max);
  if (nul == nullptr) return std::nullopt;
  return std::string_view(p, static_cast<std::size_t>(static_cast<const char*>(nul) - p));
}

}  // namespace premigrate::collect::elf
