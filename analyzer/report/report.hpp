// The report model: findings, per-architecture verdicts, inventory summary, provenance and
// diagnostics. Renderers see only this model's JSON.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "facts/inventory.hpp"
#include "report/score.hpp"
#include "report/severity.hpp"
#include "report/verdict.hpp"

namespace premigrate::report {

inline constexpr int kReportSchemaVersion = 1;

struct Evidence {
  std::string subject;  // a path, package NEVRA, module name
  std::string detail;
};

struct Finding {
  std::string id;  // stable: same host, same finding, same id across runs
  std::string rule_id;
  std::string category;
  Severity severity = Severity::kInfo;
  std::vector<std::string> archs;
  std::string subject;
  std::string message;
  std::string certainty = "observed";      // observed | derived | unknown (docs/report.md)
  std::string message_zh, remediation_zh;  // the rule's zh wording; empty when it has none
  std::vector<Evidence> evidence;
  std::string remediation;
  std::vector<std::string> references;
  bool waived = false;
  std::string waiver_reason;
  std::string waiver_owner;
  std::string waiver_expires;  // YYYY-MM-DD
};

// What becomes of one installed package on one architecture, in words.
struct PackageOutcome {
  std::string package;  // NEVRA as installed
  std::string arch;     // target architecture
  std::string fate;     // kb::FateKind word
  std::string target_version;
  std::vector<std::string> successors;
  bool major_jump = false;
  std::string evidence;  // observed | derived | third-party | none (kb::PackageFate::evidence)
  std::string sources;   // the datasets (or curated reference) the fate rests on
  std::string outcome;   // the sentence ("kept at 1.2-3", "replaced by chrony", ...)
  std::string action;    // what to do about it (the rule's remediation)
  std::string outcome_zh, action_zh;  // the rule's zh wording; empty when it has none
  std::string rule_id;                // the rule whose message words it
};

// A check that did not run for a target/arch, and why. "Not checked" is never "clean".
struct CheckNotRun {
  std::string check;  // "packages", "elf-sonames", "kernel-modules", ...
  std::string arch;   // "" = every architecture
  std::string reason;
  // false: a known limitation listed for the record; it does not make the verdict incomplete
  // because the checks that did run cover the same risk (docs/checks.md).
  bool blocking = true;
};

struct ArchVerdict {
  std::string arch;
  Verdict verdict = Verdict::kIncomplete;
  std::map<std::string, int> counts;              // by severity word, unwaived findings only
  std::map<std::string, int> counts_by_category;  // unwaived findings only
  int score = 0;                      // readiness score 0..100 (report/score.hpp, docs/report.md)
  std::string score_bound = "exact";  // exact | at_most (some check did not run)
  std::vector<CheckNotRun> checks_not_run;
};

// NOLINTNEXTLINE(bugprone-exception-escape): the implicit members of nlohmann::json members
struct BuildContext {
  std::string tool_version;
  std::string generated_at;  // ISO 8601 UTC
  std::string target;        // resolved target id, "" when no KB was loaded
  std::string target_name;   // its display name ("openEuler 22.03 LTS SP4"), "" when unknown
  std::string source;        // source release judged against ("" when undetected)
  std::vector<std::string> archs;
  std::vector<CheckNotRun> checks_not_run;
  nlohmann::json kb;  // KB versions and provenance, null when none
  // Signing keys trusted for the source distribution beyond the KB profile (--trust-key).
  std::vector<std::string> trusted_keys_added;
  // The container image scanned (`--image`: image::to_json), null for a root.
  nlohmann::json image;
};

// NOLINTNEXTLINE(bugprone-exception-escape): the implicit members of nlohmann::json members
struct Report {
  BuildContext context;
  nlohmann::json host;  // HostInfo + rpmdb + collectors, as JSON
  nlohmann::json inventory_summary;
  std::vector<Finding> findings;  // sorted by (severity desc, category, rule, subject, id)
  std::vector<PackageOutcome> package_outcomes;  // sorted by (package, arch)
  std::vector<ArchVerdict> verdicts;
  std::vector<core::Diagnostic> diagnostics;
  std::map<std::string, std::size_t> diagnostics_suppressed;
};

// Builds the report: sorts findings, computes each architecture's verdict.
[[nodiscard]] Report build(const facts::Inventory& inv, std::vector<Finding> findings,
                           BuildContext ctx, const core::Diagnostics& diags,
                           std::vector<PackageOutcome> outcomes = {});

// Highest unwaived severity, or nullopt when there is no finding above info.
[[nodiscard]] std::optional<Severity> worst_unwaived(const Report& r);

// The report document. With evidence_cap, each finding keeps at most that many evidence
// entries and, when it had more, "evidence_total" says how many: the document the human
// formats are rendered from stays small whatever the root (write_json writes them all).
[[nodiscard]] nlohmann::json to_json(const Report& r,
                                     std::size_t evidence_cap = static_cast<std::size_t>(-1));

// One diagnostic as the report (and the inventory JSON) has it.
[[nodiscard]] nlohmann::json diagnostic_json(const core::Diagnostic& d);

// One evidence entry as the report JSON has it.
[[nodiscard]] nlohmann::json evidence_json(const Evidence& e);

// Evidence entries per finding in the document the HTML, text, JUnit and SARIF are made from.
inline constexpr std::size_t kEvidenceInDocument = 50;

// Writes the JSON report: `doc` (to_json of `r`, capped or not) as json::dump(2) would, with
// every finding's evidence streamed in full from `r` and no "evidence_total" keys, so the bytes
// are those of dump(2) of the uncapped document, never built in memory.
void write_json(std::ostream& out, const nlohmann::json& doc, const Report& r);

}  // namespace premigrate::report
