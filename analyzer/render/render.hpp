// Report renderers. Each takes the report JSON (report::to_json), so every format shows the
// same facts; host-derived strings are escaped for the target format.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace premigrate::render {

// Dumps with invalid UTF-8 bytes replaced (U+FFFD), indent 2, trailing newline. Keys sorted.
[[nodiscard]] std::string to_json_text(const nlohmann::json& doc);
// The same bytes, written to `out` as they are made: a report with 200,000 evidence entries is
// never held twice (tree and text) in memory.
void write_json_text(std::ostream& out, const nlohmann::json& doc);

// Makes every string and key valid UTF-8 before templating: invalid sequences become U+FFFD
// exactly as to_json_text writes them. Only invalid strings are re-encoded.
void sanitize(nlohmann::json& doc);
[[nodiscard]] nlohmann::json sanitized(const nlohmann::json& doc);  // a sanitized copy
// True when every string and key of `doc` is valid UTF-8 already (sanitize would change nothing).
[[nodiscard]] bool is_sanitized(const nlohmann::json& doc);
// `doc` itself when it is sanitized already, else a sanitized copy made in `storage`: a report
// is read-only to most renderers, and copying a large one for nothing was most of their time.
[[nodiscard]] const nlohmann::json& sanitized(const nlohmann::json& doc, nlohmann::json& storage);

// Terminal summary. ANSI colours only when `color`; control characters in host strings are
// shown as escapes so a hostile file name cannot drive the terminal.
[[nodiscard]] std::string render_text(const nlohmann::json& report, bool color);

// Self-contained HTML page from templates/report.html.mustache (all CSS/JS inline), with the
// UI strings of `lang` (templates/i18n/<lang>.json: "en" or "zh").
[[nodiscard]] std::string render_html(const nlohmann::json& report,
                                      const std::filesystem::path& templates_dir,
                                      const std::string& lang = "en");

// JUnit XML: a test suite per architecture, a test case per check (rule) per architecture;
// unwaived blockers are failures, checks that did not run are skipped.
[[nodiscard]] std::string render_junit(const nlohmann::json& report);

// SARIF 2.1.0 log (OASIS): one run, a rule per rule_id, a result per finding; waived findings
// carry an external suppression; checks that did not run are tool notifications.
[[nodiscard]] nlohmann::json render_sarif(const nlohmann::json& report);

// The HTML pages of `premigrate diff` and `premigrate fleet` (compare::diff_reports and
// compare::FleetAggregator::result documents), self-contained like the report page.
[[nodiscard]] std::string render_diff_html(const nlohmann::json& diff,
                                           const std::filesystem::path& templates_dir,
                                           const std::string& lang = "en");
[[nodiscard]] std::string render_fleet_html(const nlohmann::json& fleet,
                                            const std::filesystem::path& templates_dir,
                                            const std::string& lang = "en");

}  // namespace premigrate::render
