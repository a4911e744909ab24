// Reads one ELF file's dynamic-linking facts with libelf. Bounded: the file is mmap'ed
// read-only (never read whole into memory); malformed input becomes a diagnostic.
#pragma once

#include <optional>
#include <string>

#include "core/diagnostics.hpp"
#include "facts/elf_object.hpp"

namespace premigrate::collect::elf {

// True when the first bytes are "\x7fELF".
[[nodiscard]] bool has_elf_magic(const unsigned char* bytes, std::size_t n);

// Reads the ELF object open on `fd` (any offset; not closed). `root_path` names it in
// facts and diagnostics. Returns nullopt (with a diagnostic naming offset/section) when the
// file is not a usable ELF object.
[[nodiscard]] std::optional<facts::ElfObject> read_elf(int fd, const std::string& root_path,
                                                       core::Diagnostics& diags);

}  // namespace premigrate::collect::elf
