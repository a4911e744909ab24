// Languages of the HTML pages: the closed set with a complete templates/i18n/<name>.json, and
// the one table of their names that --lang parsing and the renderers use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace premigrate::render {

enum class Language { kEn, kZh };

// Every language, in the order --help lists them.
[[nodiscard]] const std::vector<Language>& all_languages();
[[nodiscard]] std::string_view to_string(Language l);  // "en", "zh": the i18n file's name
[[nodiscard]] std::optional<Language> parse_language(std::string_view name);
// "en, zh": for messages and --help.
[[nodiscard]] std::string language_names_text();

}  // namespace premigrate::render
