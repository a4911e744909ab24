// Scripts, services and cron jobs: the programs they start (shebang interpreters, ExecStart=,
// SysV init scripts, cron commands) must exist after the migration. A program stays when it is
// unpackaged on the root or owned by a third-party package; a distribution program exists when
// the KB ships the path, or when its owning package is kept on the target.
#include <algorithm>
#include <map>
#include <set>

#include "analyze/context.hpp"
#include "analyze/root_requests.hpp"

namespace premigrate::analyze {

namespace {

struct Use {
  std::string program, context, where;
};

}  // namespace

void check_scripts_services(const ArchContext& c) {
  std::vector<Use> uses;
  for (const auto& s : c.inv.scripts) {
    if (!s.program.empty()) uses.push_back({s.program, "script", s.path});
  }
  for (const auto& u : c.inv.services) {
    for (const auto& p : u.programs) uses.push_back({p, "service", u.path});
    if (u.kind == "sysv") {
      c.hits.push_back({"sysv_init_script",
                        u.name,
                        {{"name", u.name}, {"enabled", u.enabled ? "enabled" : "disabled"}},
                        {{u.path, u.enabled ? "enabled" : "not enabled"}},
                        {}});
    }
  }
  for (const auto& j : c.inv.cron_jobs) {
    if (!j.program.empty()) uses.push_back({j.program, "cron", j.path});
  }
  if (uses.empty()) return;
  if (!c.kb) return;  // reported as not run by the engine
  const auto files = c.coverage("files");
  const auto* sp = c.profile.source(c.source);

  // Candidate absolute paths for each program (bare names are looked up on the search path).
  const auto candidates = program_candidates(c.inv, c.profile);
  std::set<std::string> wanted;
  for (const auto& [_, v] : candidates) wanted.insert(v.begin(), v.end());
  std::map<std::string, const facts::Package*> owner;
  for (const auto& p : c.inv.packages)
    for (const auto& f : p.files)
      if (wanted.count(f.path)) owner.emplace(f.path, &p);

  std::map<std::string, std::pair<std::string, std::string>> verdict;  // program -> presence, why
  for (const auto& [prog, paths] : candidates) {
    std::string presence = "missing", why;
    for (const auto& p : paths) {
      if (c.kb->shipped_file(p)) {
        presence = "present";
        break;
      }
      auto o = owner.find(p);
      if (o != owner.end()) {
        if (!third_party_reasons(*o->second, sp).empty()) {
          presence = "present";  // the third-party package stays
          break;
        }
        const auto fate = c.kb->package_fate(o->second->name);
        const auto k = fate.kind;
        if (k == kb::FateKind::kPresent || k == kb::FateKind::kRenamed ||
            k == kb::FateKind::kMoved) {
          presence = "present";
          break;
        }
        if (k == kb::FateKind::kUnknown || k == kb::FateKind::kSourcePresent ||
            k == kb::FateKind::kProvidedBy) {
          presence = "unknown";
          why = "owned by " + o->second->name + ", whose fate on the target is " + kb::to_string(k);
        } else if (presence != "unknown") {
          why = "owned by " + o->second->name + " (" + kb::to_string(k) + " on the target)";
        }
        continue;
      }
      if (c.inv.root_reads.exists(p).value_or(false)) {
        // On the root and owned by no package: a local file that stays.
        bool owned_elsewhere = false;
        for (const auto& q : paths) owned_elsewhere = owned_elsewhere || owner.count(q);
        if (!owned_elsewhere) {
          presence = "present";
          break;
        }
      }
    }
    if (presence == "missing" && why.empty() && files.status != kb::CoverageStatus::kComplete) {
      presence = "unknown";
      why = "not in the KB's target file list, which is " +
            std::string(kb::to_string(files.status)) + ": " + files.reason;
    }
    if (why.empty()) why = "not shipped by the target";
    verdict[prog] = {presence, why};
  }
  // One hit per program and context, with every user as evidence: 200,000 scripts run by a
  // missing /bin/sh are one hit (and one finding), not 200,000 hits held until grouping.
  std::map<std::pair<std::string, std::string>, std::size_t> hit_of;
  for (const auto& u : uses) {
    const auto& [presence, why] = verdict[u.program];
    if (presence == "present") continue;
    auto [it, fresh] = hit_of.try_emplace({u.program, u.context}, c.hits.size());
    if (fresh) {
      c.hits.push_back(
          {"missing_program",
           u.program,
           {{"program", u.program}, {"context", u.context}, {"presence", presence}, {"why", why}},
           {},
           {}});
    }
    c.hits[it->second].evidence.push_back(
        {u.where, u.context + " starts " + u.program + ": " + why});
  }
}

}  // namespace premigrate::analyze
