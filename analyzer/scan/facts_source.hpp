// Where a scan's facts come from: collected from a root together with the root reads the
// analysis asks for, or read back from the inventory JSON that `premigrate inventory` writes
// (the same facts, so a report can be made where the root is not at hand).
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "analyze/profile.hpp"
#include "analyze/rules.hpp"
#include "collect/collect.hpp"
#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/inventory.hpp"

namespace premigrate::scan {

// Every collector; with ElfSymbols::kUnpackaged, the deferred symbols of the ELF objects that
// stay after migrating from `source` ("" = the detected source release; the ELF checks read
// those: analyze::elf_object_stays); then the files, globs and paths the analysis will need
// (analyze::root_requests for these rules and this profile), answered through the confined
// reader into Inventory::root_reads.
[[nodiscard]] facts::Inventory collect_facts(const core::RootFs& root,
                                             const collect::CollectOptions& options,
                                             const analyze::Profile& profile,
                                             const analyze::RuleSet& rules,
                                             const std::string& source, core::Diagnostics& diags);

// The members `premigrate inventory` writes beside the facts: the collection's diagnostics
// (and how many were dropped past core::Diagnostics::kMaxPerCode), and the tool.
[[nodiscard]] nlohmann::json inventory_extra(const core::Diagnostics& diags,
                                             const std::string& tool_version);

struct LoadedInventory {
  facts::Inventory inv;
  std::map<std::string, std::size_t> diagnostics_suppressed;  // by code
};

// Reads an inventory JSON (inventory_extra's diagnostics go back into `diags`). Throws
// core::RunError naming the file on an unreadable file, bad JSON or an unknown schema.
[[nodiscard]] LoadedInventory load_inventory(const std::filesystem::path& file,
                                             core::Diagnostics& diags);

}  // namespace premigrate::scan
