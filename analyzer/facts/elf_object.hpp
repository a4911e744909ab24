// ELF objects found on the root (gABI / LSB words: soname, needed, interp, verneed, verdef).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "facts/interned.hpp"
#include "facts/json_optional.hpp"

namespace premigrate::facts {

// One Elfxx_Vernaux: a version node required from one needed file (.gnu.version_r).
struct VersionNeed {
  std::string file;                   // the DT_NEEDED name it belongs to ("libc.so.6")
  std::vector<std::string> versions;  // "GLIBC_2.14", ...
  bool operator==(const VersionNeed&) const = default;
};

// Interned: the same names recur in thousands of objects (16 bytes a symbol, not ~150).
struct ElfSymbol {
  Interned name;
  Interned version;  // required (undefined) or defined version node, "" when unversioned
  Interned library;  // for undefined symbols: the needed file the version came from, if known
  bool weak = false;
  bool operator==(const ElfSymbol&) const = default;
};

struct ElfToolchain {
  std::string go_buildid;             // from .note.go.buildid
  std::string go_version;             // from the Go buildinfo blob ("go1.21.3")
  std::vector<std::string> comments;  // .comment strings ("GCC: (GNU) 4.8.5 20150623 ...")
  bool operator==(const ElfToolchain&) const = default;
};

struct ElfObject {
  std::string path;     // root-relative
  std::string package;  // owning package NEVRA, "" when unpackaged
  int elf_class = 0;    // 32 or 64
  std::string data;     // "lsb" | "msb"
  std::string machine;  // "x86_64", "aarch64", "i386", "ppc64le", "s390x", ... or "EM_<n>"
  std::string type;     // "exec", "dyn", "rel", "core"
  std::string osabi;    // "SYSV", "GNU", ...
  std::string interp;
  std::string soname;
  std::vector<std::string> needed;
  std::vector<std::string> rpath;  // $ORIGIN kept symbolic
  std::vector<std::string> runpath;
  std::vector<VersionNeed> verneed;
  std::vector<std::string> verdef;   // defined version nodes (libraries)
  std::vector<ElfSymbol> undefined;  // undefined dynamic symbols
  std::vector<ElfSymbol> exported;   // defined global/weak dynamic symbols (libraries)
  bool is_static = false;
  bool is_pie = false;
  bool stripped = false;
  // More dynamic symbols than the reader keeps (kMaxDynamicSymbols): the lists hold the first
  // ones only, so the object cannot be proven at symbol level (a diagnostic says so).
  bool symbols_capped = false;
  ElfToolchain toolchain;
  // Not in the JSON: collected without its symbols (a packaged object, whose symbols no check
  // reads unless its package turns out third-party); collect::read_deferred_symbols may add them.
  bool symbols_pending = false;
  // Not in the JSON: a library collected without its exported symbols (a scan reads them only
  // for libraries that a staying object loads); collect::read_deferred_symbols may add them.
  // Until then `exported` proves nothing, like symbols_capped.
  bool exports_pending = false;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(VersionNeed, file, versions)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ElfSymbol, name, version, library, weak)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ElfToolchain, go_buildid, go_version, comments)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ElfObject, path, package, elf_class, data, machine, type, osabi,
                                   interp, soname, needed, rpath, runpath, verneed, verdef,
                                   undefined, exported, is_static, is_pie, stripped, symbols_capped,
                                   toolchain)

}  // namespace premigrate::facts
