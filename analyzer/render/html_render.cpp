// The HTML report: the report JSON plus its view model (html_view) rendered through
// templates/report.html.mustache with the UI strings of one language (templates/i18n/).
#include "render/html_view.hpp"
#include "render/render.hpp"
#include "render/template_engine.hpp"

namespace premigrate::render {

std::string render_html(const nlohmann::json& report_in, const std::filesystem::path& templates_dir,
                        const std::string& lang) {
  nlohmann::json page = sanitized(report_in);
  if (!page.is_object()) page = nlohmann::json::object();
  const auto strings = load_strings(templates_dir, lang);
  page["view"] = report_view(page, strings);
  // The template shows findings only through the view's groups (copies with display fields):
  // the report's own list would be converted for the template engine for nothing.
  page.erase("findings");
  page["t"] = strings;
  return render_template(templates_dir, "report.html.mustache", page);
}

}  // namespace premigrate::render
