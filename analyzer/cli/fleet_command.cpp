// `premigrate fleet REPORT.json... -o DIR`: readiness across many hosts, streaming the reports
// one at a time (memory bounded by the largest report, not the fleet).
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/format_tables.hpp"
#include "cli/options.hpp"
#include "compare/fleet.hpp"
#include "compare/json_read.hpp"
#include "core/data_paths.hpp"
#include "core/errors.hpp"
#include "render/formats.hpp"

namespace premigrate::cli {

namespace {

// Arguments that are directories stand for every *.json below them, in sorted order.
std::vector<std::filesystem::path> expand(const std::vector<std::string>& args) {
  std::vector<std::filesystem::path> out;
  for (const auto& a : args) {
    std::error_code ec;
    if (std::filesystem::is_directory(a, ec)) {
      std::vector<std::filesystem::path> found;
      for (auto it = std::filesystem::recursive_directory_iterator(a, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".json") found.push_back(it->path());
      }
      if (ec) throw core::RunError("cannot list " + a + ": " + ec.message());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.emplace_back(a);
    }
  }
  return out;
}

}  // namespace

int run_fleet(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string output;
  std::string format_list = "json,html";
  std::string lang = "en";
  po::options_description desc("Fleet options");
  const auto& table = fleet_formats();
  desc.add_options()("output,o", po::value(&output),
                     "directory for the --format files (premigrate-fleet.*; required)")(
      "format", po::value(&format_list)->default_value(format_list),
      ("formats, comma-separated: " + render::format_names_text(table)).c_str())(
      "lang", po::value(&lang)->default_value(lang), "language of the HTML page: en, zh")(
      "reports", po::value(&inputs), "report files, or directories holding them");
  po::positional_options_description pos;
  pos.add("reports", -1);
  if (!parse_or_help(
          args, desc,
          "Usage: premigrate fleet REPORT.json|DIR... -o DIR [--format " + format_usage(table) +
              "] [--lang en|zh]\nAggregates many hosts' reports: readiness per architecture, "
              "the findings that block the most hosts, hosts grouped by verdict.\n"
              "A file that is not a report is listed in the output and the run goes on.\n"
              "Exit status: 0 aggregated, 1 tool error (no readable report, output not "
              "writable), 2 usage error.\n",
          &pos)) {
    return 0;
  }
  if (inputs.empty()) throw core::UsageError("fleet needs at least one report file or directory");
  if (output.empty()) throw core::UsageError("fleet needs --output DIR");
  const auto page_lang = parse_lang_option(lang);
  const auto formats = parse_formats(table, format_list);
  compare::FleetAggregator agg;
  for (const auto& path : expand(inputs)) {
    try {
      agg.add(compare::load_report(path), path);  // the parsed report is freed right here
    } catch (const core::RunError& e) {
      agg.add_unreadable(path, e.what());
    }
  }
  if (agg.hosts() == 0) throw core::RunError("fleet: no readable report among the inputs");
  const auto doc = agg.result();
  std::error_code ec;
  std::filesystem::create_directories(output, ec);
  if (ec) throw core::RunError("cannot create output directory " + output + ": " + ec.message());
  std::cout << compare::fleet_text(doc) << "\nWritten:\n";
  const auto written = render::write_outputs(
      formats, {doc, nullptr, core::find_data_dir("templates"), page_lang}, output);
  for (const auto& p : written) std::cout << "  " << p.string() << "\n";
  return 0;
}

}  // namespace premigrate::cli
