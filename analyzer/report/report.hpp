// The report model: findings, per-architecture verdicts, inventory summary, provenance and
// diagnostics. Renderers see only this model's JSON.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostics.hpp"
#include "facts/inventory.hpp"
#include "report/severity.hpp"

namespace premigrate::report {

inline constexpr int kReportSchemaVersion = 1;

struct Evidence {
  std::string subject;  // a path, package NEVRA, module name
  std::string detail;
};

struct Finding {
  std::string id;       // stable: same host, same finding, same id across runs
  std::string rule_id;
  std::string category;
  Severity severity = Severity::kInfo;
  std::vector<std::string> archs;
  std::string subject;
  std::string message;
  std::vector<Evidence> evidence;
  std::string remediation;
  std::vector<std::string> references;
  bool waived = false;
  std::string waiver_reason;
};

// A check that did not run for a target/arch, and why. "Not checked" is never "clean".
struct CheckNotRun {
  std::string check;   // "packages", "elf-sonames", "kernel-modules", ...
  std::string arch;    // "" = every architecture
  std::string reason;
};

struct ArchVerdict {
  std::string arch;
  std::string verdict;  // ready | ready_after_actions | blocked | incomplete
  std::map<std::string, int> counts;  // by severity word, unwaived findings only
  std::vector<CheckNotRun> checks_not_run;
};

struct BuildContext {
  std::string tool_version;
  std::string generated_at;  // ISO 8601 UTC
  std::string target;        // resolved target id, "" when no KB was loaded
  std::vector<std::string> archs;
  std::vector<CheckNotRun> checks_not_run;
  nlohmann::json kb;         // KB versions and provenance, null when none
};

struct Report {
  BuildContext context;
  nlohmann::json host;            // HostInfo + rpmdb + collectors, as JSON
  nlohmann::json inventory_summary;
  std::vector<Finding> findings;  // sorted by (severity desc, category, rule, subject, id)
  std::vector<ArchVerdict> verdicts;
  std::vector<core::Diagnostic> diagnostics;
  std::map<std::string, std::size_t> diagnostics_suppressed;
};

// Builds the report: sorts findings, computes each architecture's verdict.
[[nodiscard]] Report build(const facts::Inventory& inv, std::vector<Finding> findings,
                           BuildContext ctx, const core::Diagnostics& diags);

// Highest unwaived severity, or nullopt when there is no finding above info.
[[nodiscard]] std::optional<Severity> worst_unwaived(const Report& r);

[[nodiscard]] nlohmann::json to_json(const Report& r);

}  // namespace premigrate::report
