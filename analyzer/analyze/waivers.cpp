// Waiver files (yaml-cpp).
#include "analyze/waivers.hpp"

#include <yaml-cpp/yaml.h>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace premigrate::analyze {

namespace {

std::vector<Waiver> waivers_from_doc(const YAML::Node& doc, const std::string& file) {
  std::vector<Waiver> out;
  if (!doc.IsMap() || !doc["schema_version"] || doc["schema_version"].as<std::string>() != "1")
    throw core::RunError(file + ": a waiver file needs schema_version: 1");
  const auto list = doc["waivers"];
  if (!list || !list.IsSequence()) throw core::RunError(file + ": 'waivers' must be a list");
  for (const auto& w : list) {
    const std::string where = file + ":" + std::to_string(w.Mark().line + 1);
    auto get = [&](const char* k) {
      if (!w[k] || !w[k].IsScalar() || w[k].as<std::string>().empty())
        throw core::RunError(where + ": a waiver needs '" + k + "'");
      return w[k].as<std::string>();
    };
    Waiver v{get("rule"),    w["subject"] ? w["subject"].as<std::string>() : "*",
             get("reason"),  get("owner"),
             get("expires"), where};
    if (!core::is_calendar_date(v.expires))
      throw core::RunError(where + ": expires must be a date written YYYY-MM-DD, not " +
                           core::printable_text(v.expires));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

std::vector<Waiver> parse_waivers(const std::string& text, const std::string& file) {
  try {
    return waivers_from_doc(YAML::Load(text), file);
  } catch (const YAML::Exception& e) {
    // A syntax error, or a value of the wrong shape met by a conversion (a map as a string).
    const std::string where =
        e.mark.is_null() ? file : file + ":" + std::to_string(e.mark.line + 1);
    throw core::RunError(where + ": " + e.msg);
  }
}

// A waiver is valid through its expiry day.
bool waiver_expired(const Waiver& w, const std::string& today) { return today > w.expires; }

}  // namespace premigrate::analyze
