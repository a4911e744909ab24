// Report assembly: canonical finding order, verdicts per architecture, inventory summary.
#include "report/report.hpp"

#include <algorithm>
#include <string_view>
#include <tuple>

namespace premigrate::report {

namespace {
// rpm --import stores each OpenPGP key as a header named gpg-pubkey: an rpmdb entry, not
// software, so the package counts leave it out.
constexpr std::string_view kImportedKeyName = "gpg-pubkey";
bool is_imported_key(const facts::Package& p) { return p.name == kImportedKeyName; }

nlohmann::json summarize(const facts::Inventory& inv) {
  std::map<std::string, int> vendors;
  std::map<std::string, int> keys;
  std::map<std::string, int> arches;
  int unsigned_count = 0;
  for (const auto& p : inv.packages) {
    if (is_imported_key(p)) continue;
    vendors[p.vendor.empty() ? "(none)" : p.vendor]++;
    arches[p.arch.empty() ? "(none)" : p.arch]++;
    if (p.signature) {
      keys[p.signature->key_id]++;
    } else {
      ++unsigned_count;
    }
  }
  std::map<std::string, int> config_states;
  for (const auto& c : inv.config_files) config_states[c.state]++;
  int out_of_tree = 0;
  for (const auto& m : inv.kernel_modules) out_of_tree += m.out_of_tree ? 1 : 0;
  int unpackaged_elf = 0;
  for (const auto& e : inv.elf_objects) unpackaged_elf += e.package.empty() ? 1 : 0;
  const auto pkg_total = std::count_if(inv.packages.begin(), inv.packages.end(),
                                       [](const auto& p) { return !is_imported_key(p); });
  return {
      {"packages", pkg_total},
      {"packages_by_vendor", vendors},
      {"packages_by_signing_key", keys},
      {"packages_by_arch", arches},
      {"packages_unsigned", unsigned_count},
      {"elf_objects", inv.elf_objects.size()},
      {"elf_objects_unpackaged", unpackaged_elf},
      {"kernel_modules", inv.kernel_modules.size()},
      {"kernel_modules_out_of_tree", out_of_tree},
      {"scripts", inv.scripts.size()},
      {"services", inv.services.size()},
      {"cron_jobs", inv.cron_jobs.size()},
      {"config_files_by_state", config_states},
      {"walk", inv.walk},
  };
}

Verdict verdict_for(const std::vector<Finding>& fs, ArchVerdict& v) {
  bool blocker = false;
  bool actions = false;
  std::map<std::string, RuleCount> by_rule;
  for (const auto& f : fs) {
    if (f.waived) continue;
    if (std::find(f.archs.begin(), f.archs.end(), v.arch) == f.archs.end()) continue;
    auto& rc = by_rule[f.rule_id];
    rc.rule_id = f.rule_id;
    rc.severity = f.severity;
    rc.count++;
    v.counts[std::string(to_string(f.severity))]++;
    v.counts_by_category[f.category]++;
    blocker = blocker || f.severity == Severity::kBlocker;
    actions = actions || f.severity >= Severity::kLow;
  }
  const bool gap = std::any_of(v.checks_not_run.begin(), v.checks_not_run.end(),
                               [](const CheckNotRun& c) { return c.blocking; });
  std::vector<RuleCount> rules;
  rules.reserve(by_rule.size());
  for (const auto& [id, rc] : by_rule) rules.push_back(rc);
  v.score = readiness_score(rules);
  // What was not checked can only lower the score: then it is an upper bound, not a value.
  v.score_bound = gap ? "at_most" : "exact";
  if (blocker) return Verdict::kBlocked;
  // A gap in what was checked must never read as "ready".
  if (gap) return Verdict::kIncomplete;
  return actions ? Verdict::kReadyAfterActions : Verdict::kReady;
}

}  // namespace

Report build(const facts::Inventory& inv, std::vector<Finding> findings, BuildContext ctx,
             const core::Diagnostics& diags, std::vector<PackageOutcome> outcomes) {
  Report r;
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::make_tuple(-static_cast<int>(a.severity), a.category, a.rule_id, a.subject, a.id) <
           std::make_tuple(-static_cast<int>(b.severity), b.category, b.rule_id, b.subject, b.id);
  });
  r.findings = std::move(findings);
  std::sort(outcomes.begin(), outcomes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.package, a.arch) < std::tie(b.package, b.arch);
  });
  r.package_outcomes = std::move(outcomes);
  for (const auto& arch : ctx.archs) {
    ArchVerdict v;
    v.arch = arch;
    for (const auto& c : ctx.checks_not_run) {
      if (c.arch.empty() || c.arch == arch) v.checks_not_run.push_back(c);
    }
    v.verdict = verdict_for(r.findings, v);
    r.verdicts.push_back(std::move(v));
  }
  r.host = {{"facts", inv.host},
            {"rpmdb", inv.rpmdb},
            {"collectors", inv.collectors},
            {"root", inv.root}};
  if (!ctx.image.is_null()) r.host["image"] = ctx.image;
  r.inventory_summary = summarize(inv);
  r.diagnostics = diags.sorted();
  r.diagnostics_suppressed = diags.suppressed();
  r.context = std::move(ctx);
  return r;
}

std::optional<Severity> worst_unwaived(const Report& r) {
  std::optional<Severity> worst;
  for (const auto& f : r.findings) {
    if (f.waived || f.severity == Severity::kInfo) continue;
    if (!worst || f.severity > *worst) worst = f.severity;
  }
  return worst;
}

namespace {
nlohmann::json outcomes_json(const std::vector<PackageOutcome>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& o : v) {
    a.push_back({{"package", o.package},
                 {"arch", o.arch},
                 {"fate", o.fate},
                 {"target_version", o.target_version},
                 {"successors", o.successors},
                 {"major_jump", o.major_jump},
                 {"evidence", o.evidence},
                 {"sources", o.sources},
                 {"outcome", o.outcome},
                 {"action", o.action},
                 {"rule_id", o.rule_id}});
    if (!o.outcome_zh.empty()) {
      a.back()["outcome_zh"] = o.outcome_zh;
      a.back()["action_zh"] = o.action_zh;
    }
  }
  return a;
}
}  // namespace

nlohmann::json evidence_json(const Evidence& e) {
  return {{"subject", e.subject}, {"detail", e.detail}};
}

nlohmann::json diagnostic_json(const core::Diagnostic& d) {
  return {{"level", core::to_string(d.level)},
          {"code", d.code},
          {"path", d.path},
          {"where", d.where},
          {"message", d.message},
          {"count", d.count}};
}

nlohmann::json to_json(const Report& r, std::size_t evidence_cap) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : r.findings) {
    nlohmann::json ev = nlohmann::json::array();
    for (std::size_t i = 0; i < f.evidence.size() && i < evidence_cap; ++i)
      ev.push_back(evidence_json(f.evidence[i]));
    nlohmann::json fj = {{"id", f.id},
                         {"rule_id", f.rule_id},
                         {"category", f.category},
                         {"severity", to_string(f.severity)},
                         {"archs", f.archs},
                         {"subject", f.subject},
                         {"message", f.message},
                         {"certainty", f.certainty},
                         {"remediation", f.remediation},
                         {"references", f.references},
                         {"waived", f.waived},
                         {"waiver_reason", f.waiver_reason},
                         {"waiver_owner", f.waiver_owner},
                         {"waiver_expires", f.waiver_expires}};
    fj["evidence"] = std::move(ev);
    if (f.evidence.size() > evidence_cap) fj["evidence_total"] = f.evidence.size();
    if (!f.message_zh.empty()) {
      fj["message_zh"] = f.message_zh;
      fj["remediation_zh"] = f.remediation_zh;
    }
    findings.push_back(std::move(fj));
  }
  auto not_run_json = [](const std::vector<CheckNotRun>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& c : v) {
      a.push_back(
          {{"check", c.check}, {"arch", c.arch}, {"reason", c.reason}, {"blocking", c.blocking}});
    }
    return a;
  };
  nlohmann::json verdicts = nlohmann::json::array();
  for (const auto& v : r.verdicts) {
    verdicts.push_back({{"arch", v.arch},
                        {"verdict", std::string(to_string(v.verdict))},
                        {"counts", v.counts},
                        {"counts_by_category", v.counts_by_category},
                        {"score", v.score},
                        {"score_bound", v.score_bound},
                        {"checks_not_run", not_run_json(v.checks_not_run)}});
  }
  nlohmann::json diags = nlohmann::json::array();
  for (const auto& d : r.diagnostics) diags.push_back(diagnostic_json(d));
  // The large parts are moved in: an initializer list would copy them (a finding with 200,000
  // evidence entries twice in memory).
  nlohmann::json doc = {{"schema_version", kReportSchemaVersion},
                        {"tool", {{"name", "premigrate"}, {"version", r.context.tool_version}}},
                        {"generated_at", r.context.generated_at},
                        {"target", r.context.target},
                        {"target_name", r.context.target_name},
                        {"source", r.context.source},
                        {"archs", r.context.archs},
                        {"kb", r.context.kb},
                        {"host", r.host},
                        {"inventory_summary", r.inventory_summary},
                        {"diagnostics_suppressed", r.diagnostics_suppressed}};
  doc["verdicts"] = std::move(verdicts);
  doc["findings"] = std::move(findings);
  doc["package_outcomes"] = outcomes_json(r.package_outcomes);
  doc["diagnostics"] = std::move(diags);
  if (!r.context.trusted_keys_added.empty())
    doc["trusted_keys_added"] = r.context.trusted_keys_added;
  return doc;
}

}  // namespace premigrate::report
