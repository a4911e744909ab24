// The readiness score of one architecture (docs/report.md#readiness-score): 100 for nothing to
// do, multiplied down by a factor per finding that depends on its severity, with at most a few
// findings counted per rule, so many rows of one rule cannot outweigh one blocker.
#pragma once

#include <string>
#include <vector>

#include "report/severity.hpp"

namespace premigrate::report {

// Unwaived findings of one rule on one architecture.
struct RuleCount {
  std::string rule_id;
  Severity severity = Severity::kInfo;
  int count = 0;
};

// The share of readiness one finding of a severity takes away, and how many findings of one
// rule count at most.
[[nodiscard]] double severity_weight(Severity s);
[[nodiscard]] int rule_cap(Severity s);

// round(100 × Π over rules (1 − weight)^min(count, cap)); any blocker keeps it below 50.
[[nodiscard]] int readiness_score(const std::vector<RuleCount>& rules);

}  // namespace premigrate::report
