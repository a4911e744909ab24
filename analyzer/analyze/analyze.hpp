// The analysis stage: inventory x KB (one pack per target architecture) x rules -> findings,
// package outcomes and the checks that could not run.
#pragma once

#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "analyze/profile.hpp"
#include "analyze/rules.hpp"
#include "analyze/waivers.hpp"
#include "core/diagnostics.hpp"
#include "facts/inventory.hpp"
#include "kb/knowledge_base.hpp"
#include "report/report.hpp"

namespace premigrate::analyze {

struct ArchInput {
  std::string arch;
  const kb::KnowledgeBase* kb = nullptr;  // null: no pack (the reason says why)
  std::string no_kb_reason;
};

struct Input {
  const facts::Inventory& inv;
  const RuleSet& rules;
  const Profile& profile;
  std::string source;  // source release id used (detected or --source)
  std::string target;  // resolved target id
  std::vector<ArchInput> archs;
  std::vector<Waiver> waivers;
  std::string today;  // YYYY-MM-DD, for waiver expiry
  // false: one finding per rule, subject and architecture, with no owner check between the ELF
  // and dependency checks (grouping.hpp); the test that grouping loses nothing compares both.
  bool group = true;
};

struct Result {
  std::vector<report::Finding> findings;
  std::vector<report::PackageOutcome> outcomes;
  std::vector<report::CheckNotRun> not_run;
};

[[nodiscard]] Result run(const Input& in, core::Diagnostics& diags);

// Whether an ELF object stays after the migration: unpackaged, or owned by a package that is
// third-party to `source` (another vendor or signing key). Only these objects' symbols are read
// by the ELF checks (elf_linkage.cpp, elf_exports.cpp), so collection reads no others
// (collect::read_deferred_symbols). The result refers to `inv` and `profile`.
[[nodiscard]] std::function<bool(const facts::ElfObject&)> elf_object_stays(
    const facts::Inventory& inv, const Profile& profile, const std::string& source);

// The staying libraries that the dynamic linker would load for a staying object (its RPATH,
// RUNPATH, own directory, the linker's directories: the search elf_linkage.cpp models): the only
// objects whose exported symbols a check reads (collect::ElfSymbols::kUnpackagedImports reads
// no others). `stays` is elf_object_stays(); the pointers refer to `inv`.
[[nodiscard]] std::unordered_set<const facts::ElfObject*> loaded_libraries(
    const facts::Inventory& inv, const Profile& profile,
    const std::function<bool(const facts::ElfObject&)>& stays);

// Checks that lost their input because a collector failed, was partial or was skipped.
[[nodiscard]] std::vector<report::CheckNotRun> collector_gaps(const facts::Inventory& inv);

// Stable finding id: a hash of rule id, subject and the sorted architecture set.
[[nodiscard]] std::string finding_id(const std::string& rule_id, const std::string& subject,
                                     const std::vector<std::string>& archs);

}  // namespace premigrate::analyze
