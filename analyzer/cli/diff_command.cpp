// `premigrate diff OLD.json NEW.json`: what was fixed, what is new, what changed severity.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "compare/diff.hpp"
#include "compare/json_read.hpp"
#include "core/data_paths.hpp"
#include "core/errors.hpp"
#include "core/output_file.hpp"
#include "render/render.hpp"
#include "render/template_engine.hpp"

namespace premigrate::cli {

int run_diff(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string format_list = "text";
  std::string output;
  std::string lang = "en";
  po::options_description desc("Diff options");
  desc.add_options()("format", po::value(&format_list)->default_value(format_list),
                     "formats, comma-separated: text, json, html")(
      "output,o", po::value(&output),
      "directory for premigrate-diff.{json,html,txt}; without it the text goes to stdout")(
      "lang", po::value(&lang)->default_value(lang), "language of the HTML page: en, zh")(
      "reports", po::value(&files), "OLD.json NEW.json");
  po::positional_options_description pos;
  pos.add("reports", 2);
  if (!parse_or_help(args, desc,
                     "Usage: premigrate diff OLD.json NEW.json [--format text,json,html] [-o DIR] "
                     "[--lang en|zh]\nCompares two reports of one host, matching findings by id.\n"
                     "Exit status: 0 compared, 1 tool error (unreadable report), 2 usage error.\n",
                     &pos)) {
    return 0;
  }
  if (files.size() != 2) throw core::UsageError("diff needs two reports: OLD.json NEW.json");
  const auto page_lang = parse_lang_option(lang);
  const auto formats = split_list(format_list, {"text", "json", "html"}, "--format");
  const auto diff =
      compare::diff_reports(compare::load_report(files[0]), compare::load_report(files[1]));
  if (output.empty()) {
    for (const auto& f : formats) {
      if (f != "text") throw core::UsageError("--format " + f + " needs --output DIR");
    }
    std::cout << compare::diff_text(diff);
    return 0;
  }
  std::error_code ec;
  std::filesystem::create_directories(output, ec);
  if (ec) throw core::RunError("cannot create output directory " + output + ": " + ec.message());
  const std::filesystem::path dir(output);
  std::cout << compare::diff_text(diff) << "\nWritten:\n";
  for (const auto& f : formats) {
    std::filesystem::path p;
    if (f == "json") {
      p = dir / "premigrate-diff.json";
      core::write_output_file(p, render::to_json_text(diff));
    } else if (f == "html") {
      p = dir / "premigrate-diff.html";
      core::write_output_file(p,
                              render::render_diff_html(diff, core::find_data_dir("templates"),
                                                       std::string(render::to_string(page_lang))));
    } else {
      p = dir / "premigrate-diff.txt";
      core::write_output_file(p, compare::diff_text(diff));
    }
    std::cout << "  " << p.string() << "\n";
  }
  return 0;
}

}  // namespace premigrate::cli
