// `premigrate inventory`: the collected facts as JSON (the raw material of every report), with
// the root reads the analysis asks for, so `scan --from-inventory` can judge it without the root.
#include <fstream>
#include <iostream>

#include "analyze/data_files.hpp"
#include "cli/collector_status.hpp"
#include "cli/commands.hpp"
#include "cli/image_option.hpp"
#include "cli/options.hpp"
#include "core/data_paths.hpp"
#include "core/errors.hpp"
#include "core/output_file.hpp"
#include "core/root_fs.hpp"
#include "core/stage_times.hpp"
#include "core/text.hpp"
#include "kb/kb.hpp"
#include "scan/facts_source.hpp"

namespace premigrate::cli {

int run_inventory(const std::vector<std::string>& args) {
  CommonArgs common;
  std::string output;
  std::string kb_dir;
  std::vector<std::string> rule_dirs;
  auto desc = common_options(common);
  std::string symbols = "unpackaged";
  desc.add_options()("output,o", po::value(&output), "write the JSON here instead of stdout")(
      "kb", po::value(&kb_dir)->notifier(non_empty("--kb")),
      "knowledge base folder whose analysis profile says which files a scan reads (as scan "
      "--kb)")("rules", po::value(&rule_dirs),
               "a folder of extra rule files whose probes read files too (as scan --rules)")(
      "symbols", po::value(&symbols)->default_value(symbols),
      "dynamic symbols of which ELF objects: unpackaged (those the symbol-level checks read: "
      "objects no package owns, and those of third-party packages that stay after migration; "
      "all of them when the rpmdb cannot be read), or all");
  if (!parse_or_help(args, desc,
                     "Usage: premigrate inventory [--root DIR] [options]\n"
                     "Collects the facts of a root (packages, ELF objects, modules, scripts, "
                     "config, host) and prints them as JSON.\n"
                     "Exit status: 0 every collector ran; 5 the JSON is written but a collector "
                     "failed (each named on stderr, e.g. an unsupported or corrupt rpmdb); 1 "
                     "tool error; 2 usage error; 7 a disk image (--image) this machine cannot "
                     "read (no libguestfs appliance).")) {
    return 0;
  }
  auto opts = to_collect_options(common);
  if (symbols != "all" && symbols != "unpackaged")
    throw core::UsageError("--symbols must be unpackaged or all, not " +
                           core::printable_text(symbols));
  opts.elf_symbols =
      symbols == "all" ? collect::ElfSymbols::kAll : collect::ElfSymbols::kUnpackaged;
  std::vector<std::filesystem::path> rule_paths{core::find_data_dir("rules")};
  rule_paths.insert(rule_paths.end(), rule_dirs.begin(), rule_dirs.end());
  const auto rules = analyze::load_rules(rule_paths);
  const auto profile =
      analyze::load_profile(kb::scan_kb_dir(kb_dir) / "curated" / "analysis-profile.yaml");
  apply_priority(common);
  const core::StageTimesReport timings(common.timings);
  core::Diagnostics diags;
  const auto img = open_image_option(common, opts, diags);
  core::RootFs root(common.root);
  core::refuse_output_in_root(root, output);
  auto inv = scan::collect_facts(root, opts, profile, rules, "", diags);
  name_image_root(img.get(), inv);
  auto extra = scan::inventory_extra(diags, tool_version());
  if (img) extra["image"] = image::to_json(img->info());
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
