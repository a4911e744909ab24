// The language name table (language.hpp).
#include "render/language.hpp"

#include "core/name_table.hpp"

namespace premigrate::render {

namespace {
constexpr core::NameTable<Language, 2> kLanguageNames{{{
    {Language::kEn, "en"},
    {Language::kZh, "zh"},
}}};
}  // namespace

const std::vector<Language>& all_languages() {
  static const std::vector<Language> all = kLanguageNames.values();
  return all;
}
std::string_view to_string(Language l) { return kLanguageNames.name(l); }
std::optional<Language> parse_language(std::string_view name) { return kLanguageNames.parse(name); }
std::string language_names_text() { return kLanguageNames.names_text(); }

}  // namespace premigrate::render
