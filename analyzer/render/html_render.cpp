// The HTML report: the report JSON plus its view model (html_view) rendered through
// templates/report.html.mustache with the UI strings of one language (templates/i18n/).
#include "render/html_view.hpp"
#include "render/render.hpp"
#include "render/template_engine.hpp"

namespace premigrate::render {

std::string render_html(const nlohmann::json& report_in, const std::filesystem::path& templates_dir,
                        const std::string& lang) {
  nlohmann::json storage;
  const nlohmann::json& report = sanitized(report_in, storage);
  const auto strings = load_strings(templates_dir, lang);
  // The page is the report and its view. The template shows findings only through the view's
  // groups (copies with display fields): the report's own list is neither copied nor converted
  // for the template engine.
  nlohmann::json page = nlohmann::json::object();
  if (report.is_object()) {
    for (const auto& [key, value] : report.items())
      if (key != "findings") page[key] = value;
    page["view"] = report_view(report, strings);
  } else {
    page["view"] = report_view(page, strings);
  }
  page["t"] = strings;
  return render_template(templates_dir, "report.html.mustache", page);
}

}  // namespace premigrate::render
