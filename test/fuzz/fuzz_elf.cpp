// Fuzz target: one ELF object through collect::elf::read_elf, exactly as the walk hands it a
// file (an open descriptor the reader maps read-only).
#include <cstddef>
#include <cstdint>

#include "collect/elf/elf_reader.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace elf = premigrate::collect::elf;
  if (!elf::has_elf_magic(data, size)) return 0;  // the walk only passes files with the magic
  premigrate::fuzz::MemFile file(data, size);
  premigrate::core::Diagnostics diags;
  const auto obj = elf::read_elf(file.fd(), "/usr/lib64/libfuzz.so.1", diags);
  if (!obj && diags.size() == 0) __builtin_trap();  // rejected input must say why
  return 0;
}
