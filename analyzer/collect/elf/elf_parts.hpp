// Internal to collect/elf: the pieces read_elf() assembles (dynamic section, symbol
// versioning, dynamic symbols, toolchain notes). Each adds to an ElfObject and reports
// damage through the shared context; none throws on bad input.
#pragma once

#include <gelf.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "core/diagnostics.hpp"
#include "facts/elf_object.hpp"

namespace premigrate::collect::elf::detail {

struct ReadContext {
  Elf* elf = nullptr;
  const std::string& path;
  core::Diagnostics& diags;
  GElf_Ehdr ehdr{};
  bool have_sections = false;  // the section header table and its name table are usable

  void warn(const std::string& code, const std::string& message, const std::string& where) const {
    diags.warn(code, path, message, where);
  }
};

// What the dynamic section says beyond the plain facts.
struct DynamicInfo {
  bool present = false;
  bool flag_pie = false;  // DT_FLAGS_1 has DF_1_PIE
};

// Version index (the value in .gnu.version) to the version it names.
struct VersionRef {
  facts::Interned name;
  facts::Interned file;  // the needed file for .gnu.version_r entries; "" for .gnu.version_d
};
using VersionMap = std::map<std::uint32_t, VersionRef>;

// .dynamic: soname, DT_NEEDED (in DT order), DT_RPATH, DT_RUNPATH, DT_FLAGS_1.
DynamicInfo read_dynamic(const ReadContext& ctx, facts::ElfObject& obj);

// .gnu.version_r and .gnu.version_d: fills obj.verneed / obj.verdef and returns the index
// maps that symbol versions refer to.
void read_versions(const ReadContext& ctx, facts::ElfObject& obj, VersionMap& needed,
                   VersionMap& defined);

// .dynsym with .gnu.version: undefined symbols when `undefined` is set, exported ones when
// `exports` is; each list read is sorted.
void read_dynamic_symbols(const ReadContext& ctx, facts::ElfObject& obj, const VersionMap& needed,
                          const VersionMap& defined, bool undefined, bool exports);

// .comment, .note.go.buildid, .go.buildinfo.
void read_toolchain(const ReadContext& ctx, facts::ElfToolchain& out);

}  // namespace premigrate::collect::elf::detail
