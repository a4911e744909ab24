// The format table (formats.hpp) and the writer that fills an output directory from it.
#include "render/formats.hpp"

#include <future>
#include <string>
#include <system_error>

#include "core/output_file.hpp"
#include "render/render.hpp"
#include "report/report.hpp"

namespace premigrate::render {

namespace {

void write_json_report(std::ostream& out, const RenderInput& in) {
  // With the model, every evidence entry (the document has at most kEvidenceInDocument).
  if (in.model != nullptr)
    report::write_json(out, in.doc, *in.model);
  else
    write_json_text(out, in.doc);
}
void write_html_report(std::ostream& out, const RenderInput& in) {
  out << render_html(in.doc, in.templates, std::string(to_string(in.lang)));
}
void write_text_report(std::ostream& out, const RenderInput& in) {
  out << render_text(in.doc, false);
}
void write_junit_report(std::ostream& out, const RenderInput& in) { out << render_junit(in.doc); }
void write_sarif_report(std::ostream& out, const RenderInput& in) {
  write_json_text(out, render_sarif(in.doc));
}

}  // namespace

const OutputFormat* find_format(const FormatTable& table, std::string_view name) {
  for (const auto& f : table)
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<std::string> format_names(const FormatTable& table) {
  std::vector<std::string> names;
  names.reserve(table.size());
  for (const auto& f : table) names.emplace_back(f.name);
  return names;
}

std::string format_names_text(const FormatTable& table) {
  std::string s;
  for (const auto& f : table) (s += s.empty() ? "" : ", ") += f.name;
  return s;
}

const FormatTable& output_formats() {
  static const FormatTable table = {
      {"json", "premigrate-report.json", write_json_report},
      {"html", "premigrate-report.html", write_html_report, true},
      {"text", "premigrate-report.txt", write_text_report},
      {"junit", "premigrate-report.junit.xml", write_junit_report},
      {"sarif", "premigrate-report.sarif", write_sarif_report},
  };
  return table;
}

const OutputFormat* find_output_format(std::string_view name) {
  return find_format(output_formats(), name);
}

std::string output_format_names_text() { return format_names_text(output_formats()); }

std::vector<std::filesystem::path> write_outputs(const std::vector<const OutputFormat*>& formats,
                                                 const RenderInput& in,
                                                 const std::filesystem::path& out_dir) {
  auto write_one = [&](const OutputFormat* f) {
    auto p = out_dir / std::string(f->file_name);
    core::OutputFile out(p);
    f->write(out.stream(), in);
    out.commit();
    return p;
  };
  // A slow format (the HTML page of a large report) is rendered on a thread of its own while
  // the others are written; with no thread to be had, it is written in turn.
  std::vector<std::future<std::filesystem::path>> aside(formats.size());
  if (formats.size() > 1) {
    for (std::size_t i = 0; i < formats.size(); ++i) {
      if (!formats[i]->own_thread) continue;
      try {
        aside[i] = std::async(std::launch::async, write_one, formats[i]);
      } catch (const std::system_error&) {
      }
    }
  }
  std::vector<std::filesystem::path> written(formats.size());
  for (std::size_t i = 0; i < formats.size(); ++i)
    if (!aside[i].valid()) written[i] = write_one(formats[i]);
  for (std::size_t i = 0; i < formats.size(); ++i)
    if (aside[i].valid()) written[i] = aside[i].get();  // rethrows its error
  return written;
}

}  // namespace premigrate::render
