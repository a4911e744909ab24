// `premigrate scan`: collect, judge, and write the readiness reports.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <optional>
#include <system_error>

#include "analyze/analyze.hpp"
#include "analyze/root_requests.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/data_paths.hpp"
#include "core/errors.hpp"
#include "core/output_file.hpp"
#include "core/root_fs.hpp"
#include "core/stage_times.hpp"
#include "core/text.hpp"
#include "kb/kb.hpp"
#include "render/render.hpp"
#include "render/template_engine.hpp"
#include "report/report.hpp"

namespace premigrate::cli {

namespace {

const std::vector<std::string> kArchs = {"x86_64", "aarch64"};
const std::vector<std::string> kFormats = {"json", "html", "text", "junit", "sarif"};

// KB versions, provenance and coverage of every pack used, for the report context.
nlohmann::json kb_context(const std::vector<std::pair<std::string, kb::KnowledgeBase>>& packs) {
  if (packs.empty()) return nullptr;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [arch, k] : packs) {
    nlohmann::json cov = nlohmann::json::object();
    for (const char* kind : kb::kFactKinds) {
      const auto c = k.coverage(kind);
      cov[kind] = {
          {"status", kb::to_string(c.status)}, {"reason", c.reason}, {"datasets", c.datasets}};
    }
    nlohmann::json ds = nlohmann::json::array();
    for (const auto& d : k.datasets()) {
      ds.push_back({{"id", d.id},
                    {"name", d.name},
                    {"origin", d.origin},
                    {"commit", d.commit},
                    {"date", d.date},
                    {"licence", d.licence},
                    {"derived_from", d.derived_from}});
    }
    list.push_back({{"arch", arch},
                    {"file", std::filesystem::path(k.file()).filename().string()},
                    {"kb_version", k.kb_version()},
                    {"build_date", k.build_date()},
                    {"source_release", k.source_release()},
                    {"target", k.target().id},
                    {"kernel", k.kernel().version},
                    {"coverage", cov},
                    {"datasets", ds}});
  }
  return {{"kb_version", packs.front().second.kb_version()}, {"packs", list}};
}

// Writes the selected formats of `doc` into out_dir; returns the paths written, in the order of
// `formats`. The HTML page (the slowest by far for a large report) is rendered on a thread of
// its own while the others are written.
std::vector<std::string> write_reports(const nlohmann::json& doc,
                                       const std::vector<std::string>& formats,
                                       const std::filesystem::path& out_dir,
                                       const std::filesystem::path& templates,
                                       const std::string& lang,
                                       const report::Report* model = nullptr) {
  auto write_one = [&](const std::string& f) {
    std::filesystem::path p;
    if (f == "json") {
      p = out_dir / "premigrate-report.json";
      core::OutputFile out(p);
      // With the model, every evidence entry (the document has at most kEvidenceInDocument).
      if (model != nullptr)
        report::write_json(out.stream(), doc, *model);
      else
        render::write_json_text(out.stream(), doc);
      out.commit();
    } else if (f == "html") {
      p = out_dir / "premigrate-report.html";
      core::write_output_file(p, render::render_html(doc, templates, lang));
    } else if (f == "junit") {
      p = out_dir / "premigrate-report.junit.xml";
      core::write_output_file(p, render::render_junit(doc));
    } else if (f == "sarif") {
      p = out_dir / "premigrate-report.sarif";
      core::OutputFile out(p);
      render::write_json_text(out.stream(), render::render_sarif(doc));
      out.commit();
    } else {
      p = out_dir / "premigrate-report.txt";
      core::write_output_file(p, render::render_text(doc, false));
    }
    return p.string();
  };
  std::future<std::string> html;
  if (formats.size() > 1 && std::find(formats.begin(), formats.end(), "html") != formats.end()) {
    try {
      html = std::async(std::launch::async, write_one, std::string("html"));
    } catch (const std::system_error&) {  // no thread to be had: rendered in turn below
    }
  }
  std::vector<std::string> written;
  for (const auto& f : formats)
    written.push_back(f == "html" && html.valid() ? std::string() : write_one(f));
  for (std::size_t i = 0; i < formats.size(); ++i)
    if (formats[i] == "html" && html.valid()) written[i] = html.get();  // rethrows its error
  return written;
}

}  // namespace

int run_scan(const std::vector<std::string>& args) {
  CommonArgs common;
  std::string target;
  std::string arch_list = "x86_64,aarch64";
  std::string format_list = "json,html,text";
  std::string output = "premigrate-report";
  std::string fail_on;
  std::string source;
  std::string kb_dir_arg;
  std::vector<std::string> rule_dirs;
  std::string waivers_file;
  std::vector<std::string> trust_keys;
  std::string lang = "en";
  bool allow_incomplete = false;
  auto desc = common_options(common);
  po::options_description rep("Target and reports");
  rep.add_options()("target", po::value(&target)->notifier(non_empty("--target")),
                    "target release id, e.g. openeuler-22.03-lts-sp4 (default: the newest LTS in "
                    "the knowledge base)")("arch", po::value(&arch_list)->default_value(arch_list),
                                           "target architectures, comma-separated")(
      "format", po::value(&format_list)->default_value(format_list),
      "report formats, comma-separated: json, html, text, junit, sarif")(
      "lang", po::value(&lang)->default_value(lang), "language of the HTML report: en, zh")(
      "output,o", po::value(&output)->default_value(output)->notifier(non_empty("--output")),
      "directory for the report files (created if missing)")(
      "fail-on", po::value(&fail_on),
      "exit 4 when an unwaived finding is at or above: blocker, high, medium, low; exit 6 when "
      "none is but a verdict is incomplete")(
      "allow-incomplete", po::bool_switch(&allow_incomplete),
      "with --fail-on: pass the gate although a check could not run (verdict incomplete)")(
      "source", po::value(&source)->notifier(non_empty("--source")),
      "source release id (centos-7, centos-8); default: detected from the root")(
      "kb", po::value(&kb_dir_arg)->notifier(non_empty("--kb")),
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
          "Usage: premigrate scan [--root DIR] [--target ID] [--source ID] [--arch LIST] "
          "[--format LIST] [--output DIR] [--lang en|zh] [--fail-on SEVERITY] "
          "[--allow-incomplete] [--rules DIR] [--waivers FILE] [--trust-key KEYID]\n"
          "Scans a root and writes readiness reports per target architecture.\n"
          "Exit status: 0 no findings (or none at/above --fail-on), 1 tool error, "
          "2 usage error, 3 findings present, 4 findings at/above --fail-on, 6 with "
          "--fail-on: none at/above it but a verdict is incomplete (a check could not "
          "run; --allow-incomplete accepts that).")) {
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
  auto archs = split_list(arch_list, kArchs, "--arch");
  auto formats = split_list(format_list, kFormats, "--format");
  const auto& langs = render::languages();
  if (std::find(langs.begin(), langs.end(), lang) == langs.end()) {
    throw core::UsageError("--lang must be en or zh, not " + lang);
  }
  auto opts = to_collect_options(common);
  opts.elf_symbols = collect::ElfSymbols::kUnpackaged;  // the rest once the source is known
  apply_priority(common);
  const core::StageTimesReport timings(common.timings);
  const auto templates = core::find_data_dir("templates");
  const auto kb_dir = kb::scan_kb_dir(kb_dir_arg);
  kb::TargetRelease tgt;
  try {
    tgt = kb::resolve_target(kb_dir, target);
  } catch (const core::UsageError& e) {
    throw core::RunError(e.what());  // a target without packs is a run-level error (exit 1)
  }
  std::vector<std::filesystem::path> rule_paths{core::find_data_dir("rules")};
  for (const auto& d : rule_dirs) rule_paths.emplace_back(d);
  const auto rules = analyze::load_rules(rule_paths);
  auto profile = analyze::load_profile(kb_dir / "curated" / "analysis-profile.yaml");
  for (auto& k : trust_keys) {
    k = core::ascii_lower(k);
    if (k.rfind("0x", 0) == 0) k.erase(0, 2);
    if (k.size() != 16 || k.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw core::UsageError("--trust-key must be a 16-hex-digit OpenPGP key id, not '" +
                             core::printable_text(k) + "'");
    for (auto& [id, sp] : profile.sources)
      if (std::find(sp.signing_keys.begin(), sp.signing_keys.end(), k) == sp.signing_keys.end())
        sp.signing_keys.push_back(k);
  }
  std::sort(trust_keys.begin(), trust_keys.end());
  trust_keys.erase(std::unique(trust_keys.begin(), trust_keys.end()), trust_keys.end());
  std::vector<analyze::Waiver> waivers;
  if (!waivers_file.empty()) waivers = analyze::load_waivers(waivers_file);

  // The root is opened before anything is written, so that an output directory inside it is
  // refused before it is created; a root that cannot be opened still gets its error report.
  std::optional<core::RootFs> root;
  std::optional<core::RunError> root_error;
  try {
    root.emplace(common.root);
  } catch (const core::RunError& e) {
    root_error = e;
  }
  if (root) refuse_output_in_root(*root, output);
  std::error_code ec;
  std::filesystem::create_directories(output, ec);
  if (ec) throw core::RunError("cannot create output directory " + output + ": " + ec.message());
  const std::filesystem::path out_dir(output);
  const std::string generated_at = now_iso8601();

  core::Diagnostics diags;
  facts::Inventory inv;
  try {
    if (root_error) throw *root_error;
    inv = collect::collect_inventory(*root, opts, diags);
    inv.root_reads =
        collect::read_requested(*root, analyze::root_requests(inv, profile, rules), diags);
  } catch (const core::RunError& e) {
    // A run-level failure once the output directory is known still leaves a report: the JSON
    // (and the other formats asked for) carry the error instead of findings.
    const nlohmann::json error_doc = {
        {"schema_version", report::kReportSchemaVersion},
        {"tool", {{"name", "premigrate"}, {"version", tool_version()}}},
        {"generated_at", generated_at},
        {"target", target},
        {"archs", archs},
        {"error", {{"message", e.what()}, {"stage", "collect"}}}};
    try {
      (void)write_reports(error_doc, formats, out_dir, templates, lang);
    } catch (const core::RunError&) {
      // The original error is the one to report.
    }
    throw;
  }

  report::BuildContext ctx;
  ctx.tool_version = tool_version();
  ctx.generated_at = generated_at;
  ctx.target = tgt.id;
  ctx.target_name = tgt.name;
  ctx.archs = archs;
  ctx.trusted_keys_added = trust_keys;

  // One pack per architecture for the source release (detected, or --source).
  const std::string src = source.empty() ? inv.host.source_release : source;
  const bool supported = profile.source(src) != nullptr;
  ctx.source = src;
  if (!source.empty() && !supported)
    throw core::RunError("unknown source release '" + source +
                         "' (the KB describes: centos-7, centos-8)");
  collect::read_deferred_symbols(*root, inv, analyze::elf_object_stays(inv, profile, src), diags);
  std::vector<std::pair<std::string, kb::KnowledgeBase>> packs;
  analyze::Input in{inv, rules, profile, src, tgt.id, {}, waivers, ctx.generated_at.substr(0, 10)};
  for (const auto& a : archs) {
    if (supported) packs.emplace_back(a, kb::load(kb_dir, tgt.id, a, src));
  }
  for (const auto& a : archs) {
    analyze::ArchInput ai{a, nullptr, ""};
    for (const auto& [pa, k] : packs)
      if (pa == a) ai.kb = &k;
    if (!ai.kb)
      ai.no_kb_reason = src.empty() ? "the source release was not detected (use --source)"
                                    : "source release " + src + " is not supported by the KB";
    in.archs.push_back(ai);
  }
  auto result = analyze::run(in, diags);
  ctx.checks_not_run = analyze::collector_gaps(inv);
  for (auto& c : result.not_run) ctx.checks_not_run.push_back(std::move(c));
  std::sort(ctx.checks_not_run.begin(), ctx.checks_not_run.end(), [](const auto& a, const auto& b) {
    return std::tie(a.check, a.arch, a.reason) < std::tie(b.check, b.arch, b.reason);
  });
  ctx.checks_not_run.erase(std::unique(ctx.checks_not_run.begin(), ctx.checks_not_run.end(),
                                       [](const auto& a, const auto& b) {
                                         return a.check == b.check && a.arch == b.arch &&
                                                a.reason == b.reason;
                                       }),
                           ctx.checks_not_run.end());
  ctx.kb = kb_context(packs);
  core::StageTimer render_timer(core::Stage::kRender);
  auto rep_model =
      report::build(inv, std::move(result.findings), ctx, diags, std::move(result.outcomes));
  const nlohmann::json doc = report::to_json(rep_model, report::kEvidenceInDocument);

  const auto written = write_reports(doc, formats, out_dir, templates, lang, &rep_model);
  render_timer.stop();
  std::cout << render::render_text(doc, ::isatty(STDOUT_FILENO) != 0);
  std::cout << "\nReports written:\n";
  for (const auto& w : written) std::cout << "  " << w << "\n";

  auto worst = report::worst_unwaived(rep_model);
  if (gate) {
    if (worst && *worst >= *gate) return static_cast<int>(core::ExitCode::kGateFailed);
    // "Nothing found" by checks that could not run is not a pass: a corrupt rpmdb must not let
    // an image through a blocker gate.
    std::string incomplete;
    for (const auto& v : rep_model.verdicts)
      if (v.verdict == "incomplete") incomplete += (incomplete.empty() ? "" : ", ") + v.arch;
    if (!incomplete.empty() && !allow_incomplete) {
      std::cerr << "premigrate: gate failed: the verdict for " << incomplete
                << " is incomplete (checks that could not run are listed in the report); "
                   "--allow-incomplete accepts that\n";
      return static_cast<int>(core::ExitCode::kGateIncomplete);
    }
    return static_cast<int>(core::ExitCode::kClean);
  }
  return static_cast<int>(worst ? core::ExitCode::kFindings : core::ExitCode::kClean);
}

}  // namespace premigrate::cli
