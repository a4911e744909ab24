// The scan pipeline (scan.hpp): inputs are loaded and checked first, then the output directory
// is made; from there on every run-level failure still leaves an error report naming its stage.
#include "scan/scan.hpp"

#include <algorithm>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>

#include "analyze/analyze.hpp"
#include "analyze/data_files.hpp"
#include "core/data_paths.hpp"
#include "core/errors.hpp"
#include "core/keep_until_exit.hpp"
#include "core/output_file.hpp"
#include "core/stage_times.hpp"
#include "image/image.hpp"
#include "kb/kb.hpp"
#include "render/render.hpp"
#include "scan/facts_source.hpp"
#include "scan/kb_context.hpp"
#include "scan/pack_prefetch.hpp"

namespace premigrate::scan {

namespace {

// What the analysis is made of besides the facts: read and checked before anything is written.
struct AnalysisInputs {
  std::filesystem::path kb_dir;
  kb::TargetRelease target;
  analyze::RuleSet rules;
  analyze::Profile profile;
  std::vector<analyze::Waiver> waivers;
  std::vector<std::string> trust_keys;  // sorted, unique
};

AnalysisInputs load_inputs(const ScanRequest& req) {
  AnalysisInputs in;
  in.kb_dir = kb::scan_kb_dir(req.kb_dir);
  try {
    in.target = kb::resolve_target(in.kb_dir, req.target);
  } catch (const core::UsageError& e) {
    throw core::RunError(e.what());  // a target without packs is a run-level error (exit 1)
  }
  std::vector<std::filesystem::path> rule_dirs{core::find_data_dir("rules")};
  rule_dirs.insert(rule_dirs.end(), req.extra_rule_dirs.begin(), req.extra_rule_dirs.end());
  in.rules = analyze::load_rules(rule_dirs);
  in.profile = analyze::load_profile(in.kb_dir / "curated" / "analysis-profile.yaml");
  if (!req.source.empty() && in.profile.source(req.source) == nullptr) {
    std::string known;
    for (const auto& [id, sp] : in.profile.sources) (known += known.empty() ? "" : ", ") += id;
    throw core::RunError("unknown source release '" + req.source + "' (the KB describes: " + known +
                         ")");
  }
  in.trust_keys = req.trust_keys;
  std::sort(in.trust_keys.begin(), in.trust_keys.end());
  in.trust_keys.erase(std::unique(in.trust_keys.begin(), in.trust_keys.end()), in.trust_keys.end());
  for (const auto& k : in.trust_keys) {
    for (auto& [id, sp] : in.profile.sources)
      if (std::find(sp.signing_keys.begin(), sp.signing_keys.end(), k) == sp.signing_keys.end())
        sp.signing_keys.push_back(k);
  }
  if (!req.waivers_file.empty()) in.waivers = analyze::load_waivers(req.waivers_file);
  return in;
}

std::vector<std::string> arch_names(const std::vector<core::Arch>& archs) {
  std::vector<std::string> names;
  names.reserve(archs.size());
  for (auto a : archs) names.emplace_back(core::to_string(a));
  return names;
}

// The report of a run that failed at `stage`: the formats asked for carry the error instead of
// findings. A failure to write it is dropped: the original error is the one to report.
void write_error_report(const ScanRequest& req, const std::filesystem::path& templates,
                        const std::string& stage, const std::string& message) {
  const nlohmann::json error_doc = {
      {"schema_version", report::kReportSchemaVersion},
      {"tool", {{"name", "premigrate"}, {"version", req.tool_version}}},
      {"generated_at", req.generated_at},
      {"target", req.target},
      {"archs", arch_names(req.archs)},
      {"error", {{"message", message}, {"stage", stage}}}};
  try {
    (void)render::write_outputs(req.formats, {error_doc, nullptr, templates, req.lang},
                                req.output_dir);
  } catch (const std::exception&) {
  }
}

// One pack per architecture for the source release; none when it is unknown.
std::vector<std::pair<std::string, kb::KnowledgeBase>> load_packs(const ScanRequest& req,
                                                                  const AnalysisInputs& in,
                                                                  const std::string& source) {
  std::vector<std::pair<std::string, kb::KnowledgeBase>> packs;
  if (in.profile.source(source) == nullptr) return packs;
  std::vector<std::string> archs;
  for (auto a : req.archs) archs.emplace_back(core::to_string(a));
  auto loaded = kb::load_all(in.kb_dir, in.target.id, archs, source);
  for (std::size_t i = 0; i < archs.size(); ++i)
    packs.emplace_back(std::move(archs[i]), std::move(loaded[i]));
  return packs;
}

void sort_unique(std::vector<report::CheckNotRun>& v) {
  const auto key = [](const report::CheckNotRun& c) { return std::tie(c.check, c.arch, c.reason); };
  std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  v.erase(std::unique(v.begin(), v.end(),
                      [&](const auto& a, const auto& b) { return key(a) == key(b); }),
          v.end());
}

}  // namespace

std::optional<report::Severity> ScanOutcome::worst() const {
  return report::worst_unwaived(report);
}

std::vector<std::string> ScanOutcome::incomplete_archs() const {
  std::vector<std::string> archs;
  for (const auto& v : report.verdicts)
    if (v.verdict == report::Verdict::kIncomplete) archs.push_back(v.arch);
  return archs;
}

ScanOutcome run(const ScanRequest& req) {
  const auto templates = core::find_data_dir("templates");
  const auto in = load_inputs(req);

  // The root is opened before anything is written, so that an output directory inside it is
  // refused before it is created; a root that cannot be opened still gets its error report.
  const bool from_root = req.inventory_file.empty();
  core::Diagnostics diags;
  std::unique_ptr<image::MaterializedImage> img;
  if (from_root && !req.image.empty()) {
    img = image::materialize(req.image, req.image_limits, diags);
  }
  std::optional<core::RootFs> root;
  std::optional<core::RunError> root_error;
  if (from_root) {
    try {
      root.emplace(img ? img->root().string() : req.root);
    } catch (const core::RunError& e) {
      root_error = e;
    }
    if (root) core::refuse_output_in_root(*root, req.output_dir.string());
  }
  std::error_code ec;
  std::filesystem::create_directories(req.output_dir, ec);
  if (ec)
    throw core::RunError("cannot create output directory " + req.output_dir.string() + ": " +
                         ec.message());

  // The packs start loading now when the source release is known before the collection.
  std::string early_source = req.source;
  if (early_source.empty() && root) early_source = collect::source_release(*root);
  PackPrefetch packs_ahead([&](const std::string& s) { return load_packs(req, in, s); },
                           from_root && root ? early_source : std::string());

  ScanOutcome out;
  std::optional<core::StageTimer> render_timer;  // the report model and every format
  // Once the report document is made, the inventory and the packs are freed on a thread of
  // their own while the formats are written (on a large root, tens of milliseconds of freeing
  // that would otherwise come before them); joined before returning, on every way out. With
  // ScanRequest::exit_after they are not freed at all.
  struct Reaper {
    std::thread thread;
    ~Reaper() {
      if (thread.joinable()) thread.join();
    }
  } reaper;
  std::string stage = from_root ? "collect" : "inventory";
  try {
    facts::Inventory inv;
    std::map<std::string, std::size_t> suppressed;  // read back with an inventory
    if (root_error) throw *root_error;
    if (from_root) {
      inv = collect_facts(*root, req.collect, in.profile, in.rules, req.source, diags);
      if (img) inv.root = img->info().path;
    } else {
      auto loaded = load_inventory(req.inventory_file, diags);
      inv = std::move(loaded.inv);
      suppressed = std::move(loaded.diagnostics_suppressed);
    }

    stage = "kb";
    const std::string source = req.source.empty() ? inv.host.source_release : req.source;
    auto packs = packs_ahead.take(source);

    stage = "analyze";
    analyze::Input ain{inv,          in.rules, in.profile, source,
                       in.target.id, {},       in.waivers, req.generated_at.substr(0, 10)};
    for (auto a : req.archs) {
      analyze::ArchInput ai{std::string(core::to_string(a)), nullptr, ""};
      for (const auto& [pa, k] : packs)
        if (pa == ai.arch) ai.kb = &k;
      if (ai.kb == nullptr)
        ai.no_kb_reason = source.empty()
                              ? "the source release was not detected (use --source)"
                              : "source release " + source + " is not supported by the KB";
      ain.archs.push_back(std::move(ai));
    }
    auto result = analyze::run(ain, diags);

    stage = "report";
    render_timer.emplace(core::Stage::kRender);
    report::BuildContext ctx;
    ctx.tool_version = req.tool_version;
    ctx.generated_at = req.generated_at;
    ctx.target = in.target.id;
    ctx.target_name = in.target.name;
    ctx.source = source;
    ctx.archs = arch_names(req.archs);
    ctx.trusted_keys_added = in.trust_keys;
    ctx.checks_not_run = analyze::collector_gaps(inv);
    for (auto& c : result.not_run) ctx.checks_not_run.push_back(std::move(c));
    sort_unique(ctx.checks_not_run);
    ctx.kb = kb_context(packs);
    if (img) ctx.image = image::to_json(img->info());
    out.report =
        report::build(inv, std::move(result.findings), ctx, diags, std::move(result.outcomes));
    for (const auto& [code, n] : suppressed) out.report.diagnostics_suppressed[code] += n;
    out.doc = report::to_json(out.report, report::kEvidenceInDocument);
    if (req.exit_after) {
      core::keep_until_exit(std::make_shared<decltype(packs)>(std::move(packs)));
      core::keep_until_exit(std::make_shared<facts::Inventory>(std::move(inv)));
    } else {
      auto reap = [p = std::move(packs), i = std::move(inv)]() mutable {
        p.clear();
        i = facts::Inventory{};
      };
      try {
        reaper.thread = std::thread(std::move(reap));
      } catch (const std::system_error&) {  // no thread: freed here, as before
      }
    }
  } catch (const std::exception& e) {
    write_error_report(req, templates, stage, e.what());
    throw;
  }
  std::function<void()> summary;
  if (req.summary_color)
    summary = [&] { out.summary = render::render_text(out.doc, *req.summary_color); };
  out.written = render::write_outputs(req.formats, {out.doc, &out.report, templates, req.lang},
                                      req.output_dir, summary);
  render_timer.reset();
  return out;
}

}  // namespace premigrate::scan
