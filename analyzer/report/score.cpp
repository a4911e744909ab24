// Readiness score (score.hpp): the weights and caps are documented in docs/report.md; change
// both together.
#include "report/score.hpp"

#include <algorithm>
#include <cmath>

namespace premigrate::report {

double severity_weight(Severity s) {
  switch (s) {
    case Severity::kBlocker:
      return 0.30;
    case Severity::kHigh:
      return 0.08;
    case Severity::kMedium:
      return 0.03;
    case Severity::kLow:
      return 0.01;
    case Severity::kInfo:
      return 0.0;
  }
  return 0.0;
}

int rule_cap(Severity s) {
  // Two findings of one rule say how widespread a cause is; more add nothing. Low findings
  // count up to three, still far less than one blocker.
  return s == Severity::kLow ? 3 : 2;
}

int readiness_score(const std::vector<RuleCount>& rules) {
  double ready = 1.0;
  bool blocker = false;
  for (const auto& r : rules) {
    if (r.count <= 0) continue;
    ready *= std::pow(1.0 - severity_weight(r.severity), std::min(r.count, rule_cap(r.severity)));
    blocker = blocker || r.severity == Severity::kBlocker;
  }
  int score = static_cast<int>(std::lround(100.0 * ready));
  // A blocked architecture is never more than half ready, whatever else holds.
  if (blocker) score = std::min(score, 49);
  return score;
}

}  // namespace premigrate::report
