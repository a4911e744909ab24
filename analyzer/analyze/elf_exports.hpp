// The elf-version-nodes and elf-symbols checks of one staying ELF object against the target's
// export lists (kb/exports.hpp) and the bundled libraries it loads (analyze/elf_exports.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyze/context.hpp"
#include "kb/exports.hpp"

namespace premigrate::analyze {

// The staying library the dynamic linker would load for `needed` when `from` asks for it
// (RPATH/RUNPATH, the same directory, the linker's directories), or null: a target library.
using LibraryFinder =
    std::function<const facts::ElfObject*(const facts::ElfObject& from, const std::string& needed)>;

// State of one architecture's pass: what could not be checked, summed over the objects
// (target libraries without an export list: soname -> objects needing it; *_PRIVATE and GLIBC_ABI_*
// version needs), and the exports of bundled libraries, indexed once by interned ids: (name, 0)
// and (name, version), packed in 64 bits (no string built per symbol looked up).
struct ExportGaps {
  std::map<std::string, std::size_t> libraries;
  std::map<std::string, std::size_t> incomplete;  // lists that could not prove an absence
  std::size_t private_nodes = 0;
  std::size_t capped_objects = 0;  // ElfObject::symbols_capped
  std::unordered_map<const facts::ElfObject*, std::unordered_set<std::uint64_t>> bundled;
  // The answers of the target's export lists by (library, name id, version id): objects import
  // the same symbols of the same libraries again and again (printf@GLIBC_2.2.5 of libc.so.6), and
  // a string-keyed lookup in the pack's index was most of an ELF-heavy analysis.
  struct TargetSymbol {
    const kb::ExportLibrary* lib = nullptr;
    std::uint64_t symbol = 0;  // name id << 32 | version id
    bool operator==(const TargetSymbol& o) const { return lib == o.lib && symbol == o.symbol; }
  };
  struct TargetSymbolHash {
    std::size_t operator()(const TargetSymbol& k) const noexcept {
      return std::hash<std::uint64_t>{}(k.symbol * 0x9e3779b97f4a7c15ULL ^
                                        reinterpret_cast<std::uintptr_t>(k.lib));
    }
  };
  std::unordered_map<TargetSymbol, bool, TargetSymbolHash> target_exports;
};

struct ExportCheckResult {
  bool verified = false;  // every node and symbol found in complete data
  bool missing = false;   // a finding was reported
};

// Reports one elf_unresolved_imports hit for the object when a node or symbol is missing
// (fix "rebuild") or when it links only with a compat package of the target (fix "compat").
// Needs c.kb.
[[nodiscard]] ExportCheckResult check_object_exports(const ArchContext& c,
                                                     const facts::ElfObject& e,
                                                     const LibraryFinder& find, ExportGaps& gaps);

// The per-library "not checked" entries and the elf_link_verified hit (N objects proven).
void report_export_gaps(const ArchContext& c, const ExportGaps& gaps, std::size_t checked,
                        std::size_t verified, const std::vector<std::string>& verified_paths);

}  // namespace premigrate::analyze
