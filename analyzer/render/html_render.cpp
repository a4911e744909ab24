// HTML through kainjow::mustache (Debian libkainjow-mustache-dev): the template holds all
// markup; {{x}} escapes &<>"' so host strings render as text, never as markup.
#include <fstream>
#include <sstream>

#include <kainjow/mustache.hpp>

#include "core/errors.hpp"
#include "render/render.hpp"

namespace premigrate::render {

namespace mstch = kainjow::mustache;

namespace {

// JSON -> mustache data. Objects also get "_entries" (a list of {key, value}) so templates
// can iterate maps such as counts by severity; arrays get "_count"-free plain lists.
mstch::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mstch::data obj(mstch::data::type::object);
      mstch::data entries(mstch::data::type::list);
      for (const auto& [k, v] : j.items()) {
        obj.set(k, to_data(v));
        mstch::data e(mstch::data::type::object);
        e.set("key", k);
        e.set("value", to_data(v));
        entries.push_back(e);
      }
      obj.set("_entries", entries);
      obj.set("_empty", j.empty() ? mstch::data(mstch::data::type::bool_true)
                                  : mstch::data(mstch::data::type::bool_false));
      return obj;
    }
    case nlohmann::json::value_t::array: {
      mstch::data list(mstch::data::type::list);
      for (const auto& v : j) list.push_back(to_data(v));
      return list;
    }
    case nlohmann::json::value_t::string:
      return mstch::data(j.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return mstch::data(j.get<bool>() ? mstch::data::type::bool_true
                                       : mstch::data::type::bool_false);
    case nlohmann::json::value_t::null:
      return mstch::data(mstch::data::type::bool_false);
    default:
      return mstch::data(j.dump());
  }
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw core::RunError("cannot read template " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string render_html(const nlohmann::json& report_in,
                        const std::filesystem::path& templates_dir) {
  nlohmann::json report = sanitized(report_in);
  // View helpers computed from the report, not new facts.
  for (auto& v : report["verdicts"]) {
    v["blocked"] = v["verdict"] == "blocked";
    v["ready"] = v["verdict"] == "ready";
    v["has_not_run"] = !v["checks_not_run"].empty();
  }
  report["has_findings"] = !report["findings"].empty();
  report["has_diagnostics"] = !report["diagnostics"].empty();
  const auto tpl_path = templates_dir / "report.html.mustache";
  mstch::mustache tpl(read_file(tpl_path));
  if (!tpl.is_valid()) {
    throw core::RunError("template " + tpl_path.string() + ": " + tpl.error_message());
  }
  return tpl.render(to_data(report));
}

}  // namespace premigrate::render
