// The HTML's package outcome table rows (html_view.hpp): outcomes that read the same on
// several architectures become one row listing them, like findings.
#include <map>
#include <tuple>

#include "render/html_view.hpp"

namespace premigrate::render {

nlohmann::json package_rows(const nlohmann::json& report, bool zh) {
  auto text = [zh](const nlohmann::json& o, const char* key, const char* zh_key) {
    const auto z = zh ? str_of(o, zh_key) : std::string();
    return z.empty() ? str_of(o, key) : z;
  };
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  std::map<Key, std::size_t> index;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& o : arr_of(report, "package_outcomes")) {
    if (!o.is_object()) continue;
    const Key k{str_of(o, "package"), str_of(o, "fate"), text(o, "outcome", "outcome_zh"),
                text(o, "action", "action_zh"), str_of(o, "evidence")};
    const auto [it, fresh] = index.try_emplace(k, rows.size());
    if (fresh) {
      rows.push_back({{"package", std::get<0>(k)},
                      {"fate", std::get<1>(k)},
                      {"outcome", std::get<2>(k)},
                      {"action", std::get<3>(k)},
                      {"evidence", std::get<4>(k)},
                      {"sources", str_of(o, "sources")},
                      {"major_jump", o.value("major_jump", false)},
                      {"archs", str_of(o, "arch")}});
    } else {
      auto& r = rows[it->second];
      r["archs"] = r["archs"].get<std::string>() + " " + str_of(o, "arch");
    }
  }
  return rows;
}

}  // namespace premigrate::render
