// What a checker sees (one target architecture at a time) and what it reports: hits of a
// condition kind, which the rule engine turns into findings (analyze/engine.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyze/checks.hpp"
#include "analyze/profile.hpp"
#include "analyze/rules.hpp"
#include "core/diagnostics.hpp"
#include "facts/inventory.hpp"
#include "kb/knowledge_base.hpp"
#include "report/report.hpp"

namespace premigrate::analyze {

struct Hit {
  std::string kind;                          // a condition kind (rules.hpp)
  std::string subject;                       // what the finding is about; groups evidence
  std::map<std::string, std::string> attrs;  // filter attributes and message variables
  std::vector<report::Evidence> evidence;
  std::string only_rule;  // probe hits: the rule that asked for them
};

struct ArchContext {
  const facts::Inventory& inv;
  const Profile& profile;
  const RuleSet& rules;
  std::string arch;
  std::string source;           // source release id ("" when undetected)
  std::string target;           // target id
  const kb::KnowledgeBase* kb;  // null when no pack could be loaded for this arch
  std::vector<Hit>& hits;
  std::vector<report::CheckNotRun>& not_run;
  core::Diagnostics& diags;

  // A check not run: a built-in check, or a rule (by id) whose probe could not be answered.
  void skip(Check check, const std::string& reason, bool blocking = true) const {
    skip(std::string(to_string(check)), reason, blocking);
  }
  void skip(const std::string& check, const std::string& reason, bool blocking = true) const {
    not_run.push_back({check, arch, reason, blocking});
  }
  // The coverage of a fact kind, as a word and its reason; "unknown" without a pack.
  [[nodiscard]] kb::Coverage coverage(const char* kind) const {
    return kb ? kb->coverage(kind) : kb::Coverage{};
  }
};

// Checkers: one per area. Each reports hits and the checks it could not run.
void check_packages(const ArchContext& c);
void check_dependencies(const ArchContext& c);
void check_elf_linkage(const ArchContext& c);
void check_kernel_modules(const ArchContext& c);
void check_scripts_services(const ArchContext& c);
void check_config(const ArchContext& c);
void check_host(const ArchContext& c);
// Probe conditions of the rule set (config_line_matches, file_exists, ...).
void evaluate_probes(const ArchContext& c);

// Helpers shared by checkers.
[[nodiscard]] bool is_source_vendor_package(const facts::Package& p, const SourceProfile* sp);
[[nodiscard]] std::vector<std::string> third_party_reasons(const facts::Package& p,
                                                           const SourceProfile* sp);
// A third-party package the target ships under the same name (packages.cpp), or none.
[[nodiscard]] std::optional<Hit> third_party_on_target(const ArchContext& c,
                                                       const facts::Package& p);

}  // namespace premigrate::analyze
