// Report renderers. Each takes the report JSON (report::to_json), so every format shows the
// same facts; host-derived strings are escaped for the target format.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace premigrate::render {

// Dumps with invalid UTF-8 bytes replaced (U+FFFD), indent 2, trailing newline. Keys sorted.
[[nodiscard]] std::string to_json_text(const nlohmann::json& doc);

// Round-trips through a replacing dump so every string is valid UTF-8 before templating.
[[nodiscard]] nlohmann::json sanitized(const nlohmann::json& doc);

// Terminal summary. ANSI colours only when `color`; control characters in host strings are
// shown as escapes so a hostile file name cannot drive the terminal.
[[nodiscard]] std::string render_text(const nlohmann::json& report, bool color);

// Self-contained HTML page from templates/report.html.mustache (all CSS/JS inline).
[[nodiscard]] std::string render_html(const nlohmann::json& report,
                                      const std::filesystem::path& templates_dir);

}  // namespace premigrate::render
