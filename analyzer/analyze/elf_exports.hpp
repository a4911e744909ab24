// The elf-version-nodes and elf-symbols checks of one staying ELF object against the target's
// export lists (kb/exports.hpp) and the bundled libraries it loads (analyze/elf_exports.cpp).
#pragma once

#include <algorithm>
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
  class TargetAnswers {
   public:
    // The answer remembered for `symbol` (name id << 32 | version id) of `lib`, computed by
    // `ask` the first time. 0 (an empty name, only from an edited inventory) is not remembered.
    template <class Ask>
    bool get(const kb::ExportLibrary* lib, std::uint64_t symbol, Ask&& ask) {
      if (symbol == 0) return ask();
      if ((used_ + 1) * 2 > slots_.size()) grow();
      const std::size_t mask = slots_.size() - 1;
      for (std::size_t i = hash(lib, symbol) & mask;; i = (i + 1) & mask) {
        Slot& s = slots_[i];
        if (s.symbol == symbol && s.lib == lib) return s.answer;
        if (s.symbol == 0) {
          s = {lib, symbol, ask()};
          ++used_;
          return s.answer;
        }
      }
    }

   private:
    struct Slot {
      const kb::ExportLibrary* lib = nullptr;
      std::uint64_t symbol = 0;  // 0: free
      bool answer = false;
    };
    static std::size_t hash(const kb::ExportLibrary* lib, std::uint64_t symbol) {
      const std::uint64_t h =
          (symbol ^ (reinterpret_cast<std::uintptr_t>(lib) >> 4)) * 0x9e3779b97f4a7c15ULL;
      return static_cast<std::size_t>(h ^ (h >> 29));
    }
    void grow() {
      std::vector<Slot> old(std::max<std::size_t>(slots_.size() * 2, 4096));
      old.swap(slots_);
      const std::size_t mask = slots_.size() - 1;
      for (const Slot& s : old) {
        if (s.symbol == 0) continue;
        std::size_t i = hash(s.lib, s.symbol) & mask;
        while (slots_[i].symbol != 0) i = (i + 1) & mask;
        slots_[i] = s;
      }
    }
    std::vector<Slot> slots_;
    std::size_t used_ = 0;
  };
  TargetAnswers target_exports;
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
