// Reads one ELF file's dynamic-linking facts with libelf. Bounded: a file up to 64 KiB is read
// whole into a per-thread buffer, a larger one's sections on demand (pread, or a read-only
// mapping from 1 MiB); malformed input becomes a diagnostic.
#pragma once

#include <optional>
#include <string>

#include "core/diagnostics.hpp"
#include "facts/elf_object.hpp"

namespace premigrate::collect::elf {

// True when the first bytes are "\x7fELF".
[[nodiscard]] bool has_elf_magic(const unsigned char* bytes, std::size_t n);

struct ElfReadOptions {
  // Read .dynsym (undefined and exported symbols). Without it the object keeps its headers,
  // dynamic section and version needs/definitions, and `symbols_pending` says that
  // read_deferred_symbols() may add the symbols later.
  bool symbols = true;
  // With the symbols, a library's exported ones too. Without, `exports_pending` says that
  // read_deferred_symbols() may add them later.
  bool exports = true;
};

// Reads the ELF object open on `fd` (any offset; not closed). `root_path` names it in
// facts and diagnostics. Returns nullopt (with a diagnostic naming offset/section) when the
// file is not a usable ELF object.
[[nodiscard]] std::optional<facts::ElfObject> read_elf(int fd, const std::string& root_path,
                                                       core::Diagnostics& diags,
                                                       const ElfReadOptions& options = {});

// The second phase for an object read without its symbols (obj.symbols_pending) or its exports
// (obj.exports_pending): reads from `fd` (the same file, opened again) the undefined symbols
// when `undefined` is set and symbols_pending, the exported ones when `exports` is set and
// exports_pending, and clears the flags of what it read. When the file no longer is the object
// that was read (another machine or type, other dynamic section or version needs), or cannot be
// read, the object is marked symbols_capped (its symbol-level checks do not run) with a
// diagnostic, and both flags are cleared.
void read_deferred_symbols(int fd, facts::ElfObject& obj, core::Diagnostics& diags,
                           bool undefined = true, bool exports = true);

// Gives up on an object's pending symbols: symbols_capped (no symbol-level proof), and an
// elf.symbols_unread diagnostic saying `why`.
void mark_symbols_unread(facts::ElfObject& obj, const std::string& why, core::Diagnostics& diags);

}  // namespace premigrate::collect::elf
