// `premigrate inventory`: the collected facts as JSON (the raw material of every report).
#include <fstream>
#include <iostream>

#include "cli/collector_status.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/output_file.hpp"
#include "core/root_fs.hpp"
#include "core/stage_times.hpp"
#include "core/text.hpp"

namespace premigrate::cli {

int run_inventory(const std::vector<std::string>& args) {
  CommonArgs common;
  std::string output;
  auto desc = common_options(common);
  std::string symbols = "unpackaged";
  desc.add_options()("output,o", po::value(&output), "write the JSON here instead of stdout")(
      "symbols", po::value(&symbols)->default_value(symbols),
      "dynamic symbols of which ELF objects: unpackaged (those no package owns, which the "
      "symbol-level checks read; all of them when the rpmdb cannot be read), or all");
  if (!parse_or_help(args, desc,
                     "Usage: premigrate inventory [--root DIR] [options]\n"
                     "Collects the facts of a root (packages, ELF objects, modules, scripts, "
                     "config, host) and prints them as JSON.\n"
                     "Exit status: 0 every collector ran; 5 the JSON is written but a collector "
                     "failed (each named on stderr, e.g. an unsupported or corrupt rpmdb); 1 "
                     "tool error; 2 usage error.")) {
    return 0;
  }
  auto opts = to_collect_options(common);
  if (symbols != "all" && symbols != "unpackaged")
    throw core::UsageError("--symbols must be unpackaged or all, not " +
                           core::printable_text(symbols));
  opts.elf_symbols =
      symbols == "all" ? collect::ElfSymbols::kAll : collect::ElfSymbols::kUnpackaged;
  apply_priority(common);
  const core::StageTimesReport timings(common.timings);
  core::RootFs root(common.root);
  refuse_output_in_root(root, output);
  core::Diagnostics diags;
  auto inv = collect::collect_inventory(root, opts, diags);
  nlohmann::json dj = nlohmann::json::array();
  for (const auto& d : diags.sorted()) {
    dj.push_back({{"level", core::to_string(d.level)},
                  {"code", d.code},
                  {"path", d.path},
                  {"where", d.where},
                  {"message", d.message},
                  {"count", d.count}});
  }
  const nlohmann::json extra = {{"diagnostics", dj},
                                {"tool", {{"name", "premigrate"}, {"version", tool_version()}}}};
  core::StageTimer render_timer(core::Stage::kRender);
  if (output.empty() || output == "-") {
    facts::write_json(std::cout, inv, extra);
    if (!std::cout.flush()) throw core::RunError("cannot write the inventory to stdout");
  } else {
    core::OutputFile out(output);
    facts::write_json(out.stream(), inv, extra);
    out.commit();
  }
  render_timer.stop();
  // The inventory is written whole either way; a failed collector means facts are missing
  // from it, which a pipeline must not mistake for an empty root.
  return static_cast<int>(report_failed_collectors(inv, std::cerr));
}

}  // namespace premigrate::cli
