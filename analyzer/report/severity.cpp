// Severity words.
#include "report/severity.hpp"

namespace premigrate::report {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kBlocker:
      return "blocker";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view w) {
  for (auto s :
       {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kBlocker}) {
    if (w == to_string(s)) return s;
  }
  return std::nullopt;
}

}  // namespace premigrate::report
