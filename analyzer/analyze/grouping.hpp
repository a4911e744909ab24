// One finding per cause: the per-architecture findings of one rule and subject become one
// finding listing its architectures, and a soname or path two checks report has one owner.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyze/rules.hpp"
#include "report/report.hpp"

namespace premigrate::analyze {

// A rule's finding on one architecture before merging: the rule, the message variables and
// the evidence (sorted, unique).
struct PerArchFinding {
  const Rule* rule = nullptr;
  std::string arch;
  std::map<std::string, std::string> vars;
  std::vector<report::Evidence> evidence;
};

// Merges findings of one rule and subject whose wording agrees on every architecture (the
// architecture itself and the evidence count aside) into one finding; evidence seen on only
// some of them says so. Wording that differs (a count, a coverage reason) keeps them apart,
// so no message states a number that holds for one architecture only.
[[nodiscard]] std::vector<report::Finding> merge_across_archs(std::vector<PerArchFinding> in);

// Evidence sorted by (subject, detail), duplicates dropped.
void sort_unique(std::vector<report::Evidence>& ev);

// What a hit or finding of a condition kind is about when two checks can report the same thing:
// a soname, a soname's version node or a program path. `primary` is set for the checks that
// own it (ELF objects, programs), cleared for the dependency check. Empty for anything else.
[[nodiscard]] std::string owned_subject(const std::string& kind, const std::string& subject,
                                        bool& primary);

// A soname or symbol version reported both by the ELF check (objects that need it) and by the
// dependency check (packages that require it), or a program path reported by the script,
// service or cron check and by the dependency check, becomes one finding of the more severe
// check (the ELF or program one on a tie); the other's evidence moves into it with a line that
// names its rule.
[[nodiscard]] std::vector<report::Finding> assign_owner_checks(std::vector<report::Finding> in,
                                                               const RuleSet& rules);

}  // namespace premigrate::analyze
