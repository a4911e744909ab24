// The rows of diff's and fleet's format tables, and --format parsing against any table.
#include "cli/format_tables.hpp"

#include "cli/options.hpp"
#include "compare/diff.hpp"
#include "render/render.hpp"

namespace premigrate::cli {

namespace {

void write_json_doc(std::ostream& out, const render::RenderInput& in) {
  render::write_json_text(out, in.doc);
}
void write_diff_text(std::ostream& out, const render::RenderInput& in) {
  out << compare::diff_text(in.doc);
}
void write_diff_html(std::ostream& out, const render::RenderInput& in) {
  out << render::render_diff_html(in.doc, in.templates, std::string(render::to_string(in.lang)));
}
void write_fleet_html(std::ostream& out, const render::RenderInput& in) {
  out << render::render_fleet_html(in.doc, in.templates, std::string(render::to_string(in.lang)));
}

}  // namespace

const render::FormatTable& diff_formats() {
  static const render::FormatTable table = {
      {"text", "premigrate-diff.txt", write_diff_text},
      {"json", "premigrate-diff.json", write_json_doc},
      {"html", "premigrate-diff.html", write_diff_html},
  };
  return table;
}

const render::FormatTable& fleet_formats() {
  static const render::FormatTable table = {
      {"json", "premigrate-fleet.json", write_json_doc},
      {"html", "premigrate-fleet.html", write_fleet_html},
  };
  return table;
}

std::vector<const render::OutputFormat*> parse_formats(const render::FormatTable& table,
                                                       const std::string& list) {
  std::vector<const render::OutputFormat*> out;
  for (const auto& name : split_list(list, render::format_names(table), "--format"))
    out.push_back(render::find_format(table, name));
  return out;
}

std::string format_usage(const render::FormatTable& table) {
  std::string s;
  for (const auto& f : table) (s += s.empty() ? "" : ",") += f.name;
  return s;
}

}  // namespace premigrate::cli
