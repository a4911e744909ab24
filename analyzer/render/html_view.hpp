// The report page's view model: the report JSON plus numbers and groupings computed from it
// (chart geometry, counts, top blockers, findings grouped by architecture set). No markup.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace premigrate::render {

inline constexpr const char* kSeverities[] = {"blocker", "high", "medium", "low", "info"};

// Reads the report defensively: missing or mistyped members read as empty.
[[nodiscard]] nlohmann::json report_view(const nlohmann::json& report,
                                         const nlohmann::json& strings);

// The package outcome table: one row per package and outcome, the architectures it holds on
// joined (an outcome worded alike on both architectures is one row).
// zh: the outcome and action in Chinese where the report has them.
[[nodiscard]] nlohmann::json package_rows(const nlohmann::json& report, bool zh = false);
// Horizontal bar chart geometry for [{key, label, n}] (numbers only; the SVG is in the template).
[[nodiscard]] nlohmann::json bar_chart(const nlohmann::json& items);

// Small JSON readers used by every renderer.
[[nodiscard]] std::string str_of(const nlohmann::json& j, const char* key);
[[nodiscard]] const nlohmann::json& arr_of(const nlohmann::json& j, const char* key);
[[nodiscard]] int severity_rank(const std::string& sev);  // blocker 4 ... info 0, unknown -1

}  // namespace premigrate::render
