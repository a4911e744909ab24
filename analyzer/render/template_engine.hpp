// The one path from JSON to markup: a template file from templates/ rendered through
// kainjow::mustache, whose {{x}} escapes &<>"' so host strings always show as text.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace premigrate::render {

// Renders templates_dir/name with `view` as the data. Objects also expose "_entries" (a list
// of {key, value}) and "_empty"; null is false. Throws core::RunError naming the file when the
// template is unreadable or does not parse.
[[nodiscard]] std::string render_template(const std::filesystem::path& templates_dir,
                                          const std::string& name, const nlohmann::json& view);

// templates_dir/i18n/<lang>.json: the UI strings of one language. Throws core::RunError.
[[nodiscard]] nlohmann::json load_strings(const std::filesystem::path& templates_dir,
                                          const std::string& lang);

}  // namespace premigrate::render
