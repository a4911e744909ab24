// Shared libelf plumbing for the ELF and kernel-module collectors: one-time thread-safe
// libelf initialisation, an owning Elf* handle, and bounds-checked section helpers.
#pragma once

#include <gelf.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace premigrate::collect::elf {

// elf_version() must run before any other libelf call; std::call_once makes that safe when
// several walk threads reach their first ELF file at the same time.
void ensure_libelf();

// Owns one Elf* (elf_end on destruction).
class ElfHandle {
 public:
  ElfHandle() = default;
  explicit ElfHandle(Elf* e) : elf_(e) {}
  ~ElfHandle();
  ElfHandle(const ElfHandle&) = delete;
  ElfHandle& operator=(const ElfHandle&) = delete;
  ElfHandle(ElfHandle&& o) noexcept : elf_(o.elf_) { o.elf_ = nullptr; }
  ElfHandle& operator=(ElfHandle&& o) noexcept;

  [[nodiscard]] Elf* get() const { return elf_; }
  explicit operator bool() const { return elf_ != nullptr; }

 private:
  Elf* elf_ = nullptr;
};

// With `map`, libelf maps the file itself with PROT_READ/MAP_PRIVATE (ELF_C_READ_MMAP): nothing
// is copied to the heap and nothing can be written back. Without it (ELF_C_READ), libelf reads
// the headers and then each section it is asked for with pread, into its own buffer: no
// mmap/munmap pair (page faults, TLB shootdowns on every core) for a file of which a few KB are
// read.
[[nodiscard]] ElfHandle open_fd(int fd, bool map = true);
// Over bytes the caller owns and keeps alive until the handle ends (a decompressed module, a
// small file read whole). elf_memory may convert in place, so the buffer must be writable.
[[nodiscard]] ElfHandle open_memory(unsigned char* bytes, std::size_t size);

// The last libelf error as text.
[[nodiscard]] std::string last_error();

// "x86_64", "aarch64", "i386", "ppc64le", "s390x", ... or "EM_<n>". Some names depend on
// the class and byte order (EM_PPC64 with ELFDATA2LSB is ppc64le; 32-bit EM_S390 is s390).
[[nodiscard]] std::string machine_name(unsigned machine, unsigned char elf_class,
                                       unsigned char data);

// "0x1a2b".
[[nodiscard]] std::string hex(std::uint64_t v);

// A section's name, or nullopt when the name table or index is bad.
[[nodiscard]] std::optional<std::string_view> section_name(Elf* e, std::size_t shstrndx,
                                                           const GElf_Shdr& shdr);

// True when the section header table lies inside the object's bytes. libelf accepts an
// e_shoff past the end of a mapped file and then shows no sections at all.
[[nodiscard]] bool section_table_fits(Elf* e, const GElf_Ehdr& ehdr);

// The first section called `name` (and its header), nullptr when absent.
[[nodiscard]] Elf_Scn* find_section(Elf* e, std::string_view name, GElf_Shdr* out);

// The string at `offset` of string section `strndx`; empty view when out of range or not
// NUL-terminated inside the section (libelf's elf_strptr checks both).
[[nodiscard]] std::string_view string_at(Elf* e, std::size_t strndx, std::size_t offset);

// A NUL-terminated string inside [p, p+max): nullopt when no NUL is found there.
[[nodiscard]] std::optional<std::string_view> bounded_string(const char* p, std::size_t max);

}  // namespace premigrate::collect::elf
