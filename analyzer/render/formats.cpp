// The format table (formats.hpp) and the writer that fills an output directory from it.
#include "render/formats.hpp"

#include <exception>
#include <string>

#include "core/output_file.hpp"
#include "core/parallel_jobs.hpp"
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
      {"json", "premigrate-report.json", write_json_report, true},
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
                                                 const std::filesystem::path& out_dir,
                                                 const std::function<void()>& also) {
  auto write_one = [&](const OutputFormat* f) {
    auto p = out_dir / std::string(f->file_name);
    core::OutputFile out(p);
    f->write(out.stream(), in);
    out.commit();
    return p;
  };
  // The formats are written by two threads; the slow ones (own_thread: the JSON with every
  // evidence entry and the HTML page of a large report) start first, so that the others fill
  // whichever thread is free first. Each format's
  // error is rethrown in format order, as a loop over them would have.
  std::vector<std::size_t> order;
  for (int slow = 1; slow >= 0; --slow)
    for (std::size_t i = 0; i < formats.size(); ++i)
      if (formats[i]->own_thread == (slow == 1)) order.push_back(i);
  const std::size_t also_at = formats.size();  // `also`'s job, and its slot in `errors`
  if (also) order.push_back(also_at);
  std::vector<std::filesystem::path> written(formats.size());
  std::vector<std::exception_ptr> errors(formats.size() + 1);
  core::run_parallel_jobs(order.size(), 2, [&](std::size_t j) {
    const std::size_t i = order[j];
    try {
      if (i == also_at)
        also();
      else
        written[i] = write_one(formats[i]);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return written;
}

}  // namespace premigrate::render
