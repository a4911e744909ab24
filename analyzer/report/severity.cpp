// Severity words: the one table of their names.
#include "report/severity.hpp"

#include "core/name_table.hpp"

namespace premigrate::report {

namespace {
constexpr core::NameTable<Severity, 5> kSeverityNames{{{
    {Severity::kInfo, "info"},
    {Severity::kLow, "low"},
    {Severity::kMedium, "medium"},
    {Severity::kHigh, "high"},
    {Severity::kBlocker, "blocker"},
}}};
}  // namespace

const std::vector<Severity>& all_severities() {
  static const std::vector<Severity> all = kSeverityNames.values();
  return all;
}
std::string_view to_string(Severity s) { return kSeverityNames.name(s); }
std::optional<Severity> parse_severity(std::string_view w) { return kSeverityNames.parse(w); }

}  // namespace premigrate::report
