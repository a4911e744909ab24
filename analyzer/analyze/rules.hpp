// Rule files (rules/, and --rules DIR): one YAML file per stable rule id. A rule's condition
// names a kind; the checkers report hits of that kind and the rule engine turns matching hits
// into findings with the rule's wording and severity (docs/rules.md).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "report/severity.hpp"

namespace premigrate::analyze {

inline constexpr int kRuleSchemaVersion = 1;

struct Condition {
  std::string kind;
  // Filters (hit kinds: attribute -> accepted values) or inputs (probe kinds: pattern, files).
  std::map<std::string, std::vector<std::string>> params;
};

struct Rule {
  std::string id;
  std::vector<std::string> aliases;  // former ids of a renamed rule
  std::string title;
  std::string category;
  report::Severity severity = report::Severity::kInfo;
  std::vector<std::string> archs;    // applies-to; empty = every architecture
  std::vector<std::string> sources;  // source releases ("centos-*" prefix match); empty = all
  std::vector<std::string> targets;  // target ids ("openeuler-24.*" prefix match); empty = all
  Condition condition;
  bool finding = true;  // false: the message only words the package outcome table
  // How sure a finding of this rule is: "observed" (facts on both sides), or "unknown" (the
  // rule fires because data is missing). A hit's "evidence" attribute can lower observed to
  // "derived" (a fact carried from another release).
  std::string certainty = "observed";
  std::string message, remediation, rationale;
  // Set: every hit of the rule on an architecture is one finding (its subject the title), each
  // hit a line of evidence worded by `message`; these word the finding, {count} = the hits.
  std::string group_message, group_remediation;
  // Simplified Chinese wording (the rule's `zh` mapping), with the same placeholders; empty
  // when the rule has none (a site's own rule, say).
  std::string zh_message, zh_remediation, zh_group_message, zh_group_remediation;
  [[nodiscard]] const std::string& finding_message(bool zh = false) const {
    if (zh) return group_message.empty() ? zh_message : zh_group_message;
    return group_message.empty() ? message : group_message;
  }
  [[nodiscard]] const std::string& finding_remediation(bool zh = false) const {
    if (zh) return group_message.empty() ? zh_remediation : zh_group_remediation;
    return group_message.empty() ? remediation : group_remediation;
  }
  std::vector<std::string> references;
  std::string file;  // where it was loaded from
};

struct RuleSet {
  std::vector<Rule> rules;  // sorted by id
  [[nodiscard]] const Rule* find(const std::string& id_or_alias) const;
};

// Every condition kind the engine knows; `hit` kinds are reported by a checker and their params
// filter on the hit's attributes, `probe` kinds are evaluated from their params.
struct KindInfo {
  std::string name;
  bool probe = false;
  std::vector<std::string> params;  // accepted parameter names
};
[[nodiscard]] const std::vector<KindInfo>& condition_kinds();

// One rule file's text (load_rules in data_files.hpp reads them). Throws core::RunError naming
// the file (and line) for a file that does not parse, an unknown kind or parameter.
[[nodiscard]] Rule parse_rule(const std::string& yaml_text, const std::string& file);
// The set, sorted by id. Throws core::RunError for an id (or alias) defined twice.
[[nodiscard]] RuleSet make_rule_set(std::vector<Rule> rules);

// Whether the rule's applies_to admits this architecture, source release and target.
[[nodiscard]] bool applies(const Rule& r, const std::string& arch, const std::string& source,
                           const std::string& target);
// "centos-*" style prefix patterns.
[[nodiscard]] bool matches_pattern(const std::string& pattern, const std::string& value);
// "{name}" placeholders replaced from vars; unknown placeholders are left as written.
// "{count|object|objects}" writes the number and the singular or plural noun.
[[nodiscard]] std::string render_template(const std::string& text,
                                          const std::map<std::string, std::string>& vars);

}  // namespace premigrate::analyze
