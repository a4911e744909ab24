// `premigrate scan`: parses the options into a scan::ScanRequest, runs the pipeline
// (scan/scan.hpp) and prints the summary; the exit status follows --fail-on.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/format_tables.hpp"
#include "cli/image_option.hpp"
#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/keep_until_exit.hpp"
#include "core/stage_times.hpp"
#include "core/text.hpp"
#include "render/render.hpp"
#include "scan/scan.hpp"

namespace premigrate::cli {

namespace {

// --trust-key: 16 hex digits, "0x" and upper case accepted; lower case without "0x" out.
std::string parse_trust_key(std::string k) {
  k = core::ascii_lower(k);
  if (k.rfind("0x", 0) == 0) k.erase(0, 2);
  if (k.size() != 16 || k.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw core::UsageError("--trust-key must be a 16-hex-digit OpenPGP key id, not '" +
                           core::printable_text(k) + "'");
  return k;
}

}  // namespace

int run_scan(const std::vector<std::string>& args) {
  CommonArgs common;
  std::string arch_list;  // every architecture: "x86_64,aarch64"
  for (const auto& a : core::arch_names()) (arch_list += arch_list.empty() ? "" : ",") += a;
  std::string format_list = "json,html,text";
  std::string output = "premigrate-report";
  std::string fail_on;
  std::string lang = "en";
  std::string inventory_file;
  std::string kb_dir;
  std::string waivers_file;
  std::vector<std::string> rule_dirs;
  std::vector<std::string> trust_keys;
  bool allow_incomplete = false;
  scan::ScanRequest req;
  auto desc = common_options(common);
  po::options_description rep("Target and reports");
  rep.add_options()("target", po::value(&req.target)->notifier(non_empty("--target")),
                    "target release id, e.g. openeuler-22.03-lts-sp4 (default: the newest LTS in "
                    "the knowledge base)")(
      "arch", po::value(&arch_list)->default_value(arch_list),
      ("target architectures, comma-separated: " + core::arch_names_text()).c_str())(
      "format", po::value(&format_list)->default_value(format_list),
      ("report formats, comma-separated: " + render::output_format_names_text()).c_str())(
      "lang", po::value(&lang)->default_value(lang),
      ("language of the HTML report: " + render::language_names_text()).c_str())(
      "output,o", po::value(&output)->default_value(output)->notifier(non_empty("--output")),
      "directory for the report files (created if missing)")(
      "fail-on", po::value(&fail_on),
      "exit 4 when an unwaived finding is at or above: blocker, high, medium, low; exit 6 when "
      "none is but a verdict is incomplete")(
      "allow-incomplete", po::bool_switch(&allow_incomplete),
      "with --fail-on: pass the gate although a check could not run (verdict incomplete)")(
      "from-inventory", po::value(&inventory_file)->notifier(non_empty("--from-inventory")),
      "judge the facts of an inventory JSON (written by `premigrate inventory`) instead of "
      "reading a root; --root and the walk options do not apply")(
      "source", po::value(&req.source)->notifier(non_empty("--source")),
      "source release id (centos-7, centos-8); default: detected from the root")(
      "kb", po::value(&kb_dir)->notifier(non_empty("--kb")),
      "knowledge base folder (targets.json, packs/); default: the bundled one")(
      "rules", po::value(&rule_dirs),
      "a folder of extra rule files, added to the built-in rules/ (repeatable)")(
      "waivers", po::value(&waivers_file)->notifier(non_empty("--waivers")),
      "a waiver file: accepted findings by rule id and subject pattern")(
      "trust-key", po::value(&trust_keys),
      "an OpenPGP key id (16 hex digits) whose signatures also count as the source distribution's, "
      "e.g. the key a local mirror re-signs CentOS packages with (repeatable; listed in the "
      "report)");
  desc.add(rep);
  if (!parse_or_help(
          args, desc,
          "Usage: premigrate scan [--root DIR | --from-inventory FILE] [--target ID] [--source ID] "
          "[--arch LIST] [--format LIST] [--output DIR] [--lang en|zh] [--fail-on SEVERITY] "
          "[--allow-incomplete] [--rules DIR] [--waivers FILE] [--trust-key KEYID]\n"
          "Scans a root and writes readiness reports per target architecture.\n"
          "Exit status: 0 no findings (or none at/above --fail-on), 1 tool error, "
          "2 usage error, 3 findings present, 4 findings at/above --fail-on, 6 with "
          "--fail-on: none at/above it but a verdict is incomplete (a check could not "
          "run; --allow-incomplete accepts that), 7 a disk image (--image) this machine "
          "cannot read (no libguestfs appliance).")) {
    return 0;
  }
  std::optional<report::Severity> gate;
  if (allow_incomplete && fail_on.empty())
    throw core::UsageError("--allow-incomplete only applies with --fail-on");
  if (!fail_on.empty()) {
    gate = report::parse_severity(fail_on);
    if (!gate || *gate == report::Severity::kInfo) {
      throw core::UsageError("--fail-on must be blocker, high, medium or low, not " + fail_on);
    }
  }
  req.archs.clear();
  for (const auto& a : split_list(arch_list, core::arch_names(), "--arch"))
    req.archs.push_back(*core::parse_arch(a));
  req.formats = parse_formats(render::output_formats(), format_list);
  req.lang = parse_lang_option(lang);
  if (!common.image.empty() && common.root != "/")
    throw core::UsageError("--image and --root exclude each other");
  if (!common.image.empty() && !inventory_file.empty())
    throw core::UsageError("--image and --from-inventory exclude each other");
  req.root = common.root;
  req.inventory_file = inventory_file;
  req.collect = to_collect_options(common);
  if (!common.image.empty()) {
    req.image = common.image;
    req.image_limits = image_limits(common, req.collect);
  }
  // The rest once the source is known: symbols of the objects that stay, exports of the
  // libraries they load.
  req.collect.elf_symbols = collect::ElfSymbols::kUnpackagedImports;
  req.output_dir = output;
  req.kb_dir = kb_dir;
  req.extra_rule_dirs.assign(rule_dirs.begin(), rule_dirs.end());
  req.waivers_file = waivers_file;
  for (auto& k : trust_keys) req.trust_keys.push_back(parse_trust_key(k));
  req.tool_version = tool_version();
  req.generated_at = now_iso8601();
  apply_priority(common);
  const core::StageTimesReport timings(common.timings);

  req.summary_color = ::isatty(STDOUT_FILENO) != 0;
  req.exit_after = true;
  // The outcome (the report tree) is left to the process's end as well: the command returns
  // to main and the process exits.
  const auto kept = std::make_shared<const scan::ScanOutcome>(scan::run(req));
  core::keep_until_exit(kept);
  const auto& outcome = *kept;
  std::cout << outcome.summary;
  std::cout << "\nReports written:\n";
  for (const auto& w : outcome.written) std::cout << "  " << w.string() << "\n";

  const auto worst = outcome.worst();
  if (gate) {
    if (worst && *worst >= *gate) return static_cast<int>(core::ExitCode::kGateFailed);
    // "Nothing found" by checks that could not run is not a pass: a corrupt rpmdb must not let
    // an image through a blocker gate.
    const auto incomplete = outcome.incomplete_archs();
    if (!incomplete.empty() && !allow_incomplete) {
      std::string list;
      for (const auto& a : incomplete) (list += list.empty() ? "" : ", ") += a;
      std::cerr << "premigrate: gate failed: the verdict for " << list
                << " is incomplete (checks that could not run are listed in the report); "
                   "--allow-incomplete accepts that\n";
      return static_cast<int>(core::ExitCode::kGateIncomplete);
    }
    return static_cast<int>(core::ExitCode::kClean);
  }
  return static_cast<int>(worst ? core::ExitCode::kFindings : core::ExitCode::kClean);
}

}  // namespace premigrate::cli
