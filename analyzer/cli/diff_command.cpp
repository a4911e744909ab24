// `premigrate diff OLD.json NEW.json`: what was fixed, what is new, what changed severity.
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/format_tables.hpp"
#include "cli/options.hpp"
#include "compare/diff.hpp"
#include "compare/json_read.hpp"
#include "core/data_paths.hpp"
#include "core/errors.hpp"
#include "render/formats.hpp"

namespace premigrate::cli {

int run_diff(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string format_list = "text";
  std::string output;
  std::string lang = "en";
  po::options_description desc("Diff options");
  const auto& table = diff_formats();
  desc.add_options()("format", po::value(&format_list)->default_value(format_list),
                     ("formats, comma-separated: " + render::format_names_text(table)).c_str())(
      "output,o", po::value(&output),
      "directory for the --format files (premigrate-diff.*); without it the text goes to stdout")(
      "lang", po::value(&lang)->default_value(lang), "language of the HTML page: en, zh")(
      "reports", po::value(&files), "OLD.json NEW.json");
  po::positional_options_description pos;
  pos.add("reports", 2);
  if (!parse_or_help(
          args, desc,
          "Usage: premigrate diff OLD.json NEW.json [--format " + format_usage(table) +
              "] [-o DIR] [--lang en|zh]\nCompares two reports of one host, matching findings by "
              "id.\n"
              "Exit status: 0 compared, 1 tool error (unreadable report), 2 usage error.\n",
          &pos)) {
    return 0;
  }
  if (files.size() != 2) throw core::UsageError("diff needs two reports: OLD.json NEW.json");
  const auto page_lang = parse_lang_option(lang);
  const auto formats = parse_formats(table, format_list);
  const auto diff =
      compare::diff_reports(compare::load_report(files[0]), compare::load_report(files[1]));
  if (output.empty()) {
    // Without a directory only the text has somewhere to go: stdout.
    for (const auto* f : formats) {
      if (f->name != "text")
        throw core::UsageError("--format " + std::string(f->name) + " needs --output DIR");
    }
    std::cout << compare::diff_text(diff);
    return 0;
  }
  std::error_code ec;
  std::filesystem::create_directories(output, ec);
  if (ec) throw core::RunError("cannot create output directory " + output + ": " + ec.message());
  std::cout << compare::diff_text(diff) << "\nWritten:\n";
  const auto written = render::write_outputs(
      formats, {diff, nullptr, core::find_data_dir("templates"), page_lang}, output);
  for (const auto& p : written) std::cout << "  " << p.string() << "\n";
  return 0;
}

}  // namespace premigrate::cli
