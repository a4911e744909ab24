// `premigrate fleet`: readiness across many hosts. Reports are fed one at a time and only
// aggregates are kept (per-arch verdict counts, per-rule host counts, one short entry per
// host), so memory stays bounded by the largest single report, not by the fleet.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace premigrate::compare {

inline constexpr int kFleetSchemaVersion = 1;

class FleetAggregator {
 public:
  // Adds one host's report. `source` is the file it came from (names the host when the report
  // carries no host name).
  void add(const nlohmann::json& report, const std::filesystem::path& source);
  // A file that could not be read or is not a report: listed, never silently dropped.
  void add_unreadable(const std::filesystem::path& source, const std::string& message);

  // {schema_version, kind: "premigrate-fleet", hosts, targets, archs [{arch, verdicts {v: n},
  // ready_pct}], top_blockers [{rule_id, severity, category, message, remediation, hosts,
  // archs, sample_hosts}], top_findings (same, any severity >= high), host_groups [{verdict,
  // hosts [{name, source, verdicts}]}], unreadable [{source, message}]}. Deterministic.
  [[nodiscard]] nlohmann::json result(std::size_t top_n = 20) const;

  [[nodiscard]] std::size_t hosts() const { return hosts_.size(); }

 private:
  struct RuleAgg {
    std::string severity;  // highest seen
    std::string category;
    std::string message;  // from the first host seen (messages are per host)
    std::string remediation;
    std::size_t hosts = 0;          // hosts with an unwaived finding of this rule
    std::size_t blocked_hosts = 0;  // hosts where it is an unwaived blocker
    std::set<std::string> archs;
    std::vector<std::string> sample_hosts;  // first five
  };
  struct HostEntry {
    std::string name;
    std::string source;
    std::string overall;  // worst verdict across archs, or "error"
    std::vector<std::pair<std::string, std::string>> verdicts;  // arch -> verdict
  };
  std::map<std::string, std::map<std::string, std::size_t>> arch_verdicts_;
  std::map<std::string, RuleAgg> rules_;
  std::map<std::string, std::size_t> targets_;
  std::vector<HostEntry> hosts_;
  std::vector<std::pair<std::string, std::string>> unreadable_;
};

// Text summary of a fleet document for the terminal.
[[nodiscard]] std::string fleet_text(const nlohmann::json& fleet);

}  // namespace premigrate::compare
