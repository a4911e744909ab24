// The collection stage: runs every collector over the root and returns one Inventory.
// Collectors know nothing about rules, the KB or reports.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/inventory.hpp"

namespace premigrate::collect {

// Which ELF objects have their dynamic symbols read during the walk. The symbol-level checks
// read the symbols of objects that stay after the migration (unpackaged, or of a third-party
// package) only; a packaged object's owner is known during the walk, whether it is third-party
// only once the source release is (read_deferred_symbols then adds what is missing).
enum class ElfSymbols {
  kAll,         // every object (inventory --symbols all)
  kUnpackaged,  // objects no package owns, or all when the rpmdb could not be read
  // As kUnpackaged, but without any library's exported symbols: the scan reads those afterwards
  // for the libraries a staying object loads (analyze::loaded_libraries), the only ones whose
  // exports a check reads. Half of a root's symbols are exports no check needs.
  kUnpackagedImports,
};

struct CollectOptions {
  std::vector<std::string> paths;     // root-relative subtrees to walk; empty = the whole root
  std::vector<std::string> excludes;  // globs on root-relative paths (fnmatch, FNM_PATHNAME off)
  bool one_file_system = false;       // do not cross into other mounts below the root
  std::uint64_t max_file_size = 1ULL << 30;  // larger files are skipped with a diagnostic
  unsigned jobs = 0;                         // worker threads; 0 = hardware_concurrency()
  bool progress = false;   // a progress line on stderr (the caller decides: a tty)
  bool walk_files = true;  // false: rpmdb and host facts only
  ElfSymbols elf_symbols = ElfSymbols::kAll;
  // Passed to files::WalkOptions::before_open (tests change the tree mid-walk through it). It
  // is called from several threads at once (the walk's workers, and the config collector's
  // walk of /etc beside the main walk), so it must be thread-safe.
  std::function<void(const std::string& path)> before_open;
};

// Answers root requests (files read by name, globs, paths) through the confined reader,
// sorted; see collect/config/root_reads.hpp.
[[nodiscard]] facts::RootReads read_requested(const core::RootFs& root,
                                              const facts::RootRequests& req,
                                              core::Diagnostics& diags);

// The second phase of ELF collection: reads what the walk left unread (ElfSymbols::kUnpackaged,
// kUnpackagedImports): the undefined symbols of the objects for which `wanted` is true, and the
// exported ones of those for which `wanted_exports` is, reopening each by its path below the
// root. An object that cannot be read again is marked symbols_capped, with a diagnostic.
void read_deferred_symbols(const core::RootFs& root, facts::Inventory& inv,
                           const std::function<bool(const facts::ElfObject&)>& wanted,
                           const std::function<bool(const facts::ElfObject&)>& wanted_exports,
                           core::Diagnostics& diags);

// The source release the host collector will detect on this root (config::source_release), or
// "": read before the collection, so that the KB can be loaded beside it.
[[nodiscard]] std::string source_release(const core::RootFs& root);

[[nodiscard]] facts::Inventory collect_inventory(const core::RootFs& root,
                                                 const CollectOptions& options,
                                                 core::Diagnostics& diags);

}  // namespace premigrate::collect
