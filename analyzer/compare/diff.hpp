// `premigrate diff`: what changed between two reports of the same host, matching findings by
// their stable id.
#pragma once

#include <nlohmann/json.hpp>

namespace premigrate::compare {

inline constexpr int kDiffSchemaVersion = 1;

// The diff document: {schema_version, kind: "premigrate-diff", old_run, new_run (run summaries),
// verdicts [{arch, old, new, changed}], summary {fixed, new, severity_changed, waiver_changed,
// unchanged}, fixed [finding], new [finding], severity_changed [{finding, old_severity,
// new_severity, direction}], waiver_changed [{finding, old_waived, new_waived}]}.
// Lists are sorted by severity (highest first), then id: deterministic.
[[nodiscard]] nlohmann::json diff_reports(const nlohmann::json& old_report,
                                          const nlohmann::json& new_report);

// Plain-text rendering of a diff document for the terminal (control characters escaped).
[[nodiscard]] std::string diff_text(const nlohmann::json& diff);

}  // namespace premigrate::compare
