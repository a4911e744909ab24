// The rule engine: runs the checkers per architecture, matches their hits against the rules,
// groups hits into findings (one finding per rule and subject, all evidence inside), merges
// them across architectures (grouping.cpp), and applies waivers.
#include "analyze/analyze.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "analyze/context.hpp"
#include "analyze/grouping.hpp"
#include "core/parallel_jobs.hpp"
#include "core/stage_times.hpp"

namespace premigrate::analyze {

namespace {

// The checks that need a KB pack; without one they are listed as not run.
constexpr Check kKbChecks[] = {Check::kPackages,        Check::kThirdPartyDependencies,
                               Check::kElfLinkage,      Check::kKernelModuleKabi,
                               Check::kScriptsServices, Check::kOpensshKeywords};

bool matches(const Rule& r, const Hit& h, const KindInfo& kind) {
  if (r.condition.kind != h.kind) return false;
  if (!h.only_rule.empty()) return h.only_rule == r.id;
  if (kind.probe) return false;
  for (const auto& [attr, accepted] : r.condition.params) {
    auto it = h.attrs.find(attr);
    const std::string v = it == h.attrs.end() ? std::string() : it->second;
    if (std::none_of(accepted.begin(), accepted.end(),
                     [&](const std::string& p) { return matches_pattern(p, v); }))
      return false;
  }
  return true;
}

struct Group {
  const Rule* rule = nullptr;
  std::map<std::string, std::string> vars;
  std::set<std::tuple<std::string, std::string>> evidence;
  // Lines another check found about the same subject (grouping.hpp): shown, never counted.
  std::set<std::tuple<std::string, std::string>> also;
  int items = 0;  // hits of a grouped rule (group_message)
};

// The rule that words a package's outcome: one that is only an outcome (finding: false) over
// one that is also a finding, and among those the most severe (a major version jump says more
// than "upgraded").
bool prefer_for_outcome(const Rule& r, const Rule* current) {
  if (!current) return true;
  if (current->finding != r.finding) return !r.finding;
  return r.severity > current->severity;
}

const KindInfo& kind_info(const std::string& name) {
  for (const auto& k : condition_kinds())
    if (k.name == name) return k;
  static const KindInfo kNone{};
  return kNone;
}

// Which checks lose their input when a collector did not finish.
const std::pair<const char*, std::vector<Check>> kCollectorChecks[] = {
    {"rpmdb", {Check::kPackages, Check::kThirdPartyDependencies}},
    {"files", {Check::kElfLinkage, Check::kKernelModules, Check::kScriptsServices}},
    {"elf", {Check::kElfLinkage}},
    {"kmod", {Check::kKernelModules}},
    {"scripts", {Check::kScriptsServices}},
    {"services", {Check::kScriptsServices}},
    {"cron", {Check::kScriptsServices}},
    {"config", {Check::kConfig}},
    {"host", {Check::kHost}},
};

}  // namespace

std::vector<report::CheckNotRun> collector_gaps(const facts::Inventory& inv) {
  std::vector<report::CheckNotRun> out;
  for (const auto& c : inv.collectors) {
    if (c.status == facts::CollectorState::kOk) continue;
    for (const auto& [name, checks] : kCollectorChecks) {
      if (c.name != name) continue;
      for (const auto chk : checks) {
        out.push_back({std::string(to_string(chk)), "",
                       "collector " + c.name + " " + std::string(facts::to_string(c.status)) +
                           (c.reason.empty() ? "" : ": " + c.reason)});
      }
    }
  }
  // Files the walk skipped are listed for the record (not blocking: each has a diagnostic that
  // names it, and the checks that ran cover the rest of the root).
  const auto& w = inv.walk;
  auto count = [](std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  if (w.skipped_too_large > 0)
    out.push_back({std::string(to_string(Check::kFiles)), "",
                   count(w.skipped_too_large, "file larger than --max-file-size was",
                         "files larger than --max-file-size were") +
                       " not read (walk.too_large diagnostics name them)",
                   false});
  if (w.unreadable > 0)
    out.push_back({std::string(to_string(Check::kFiles)), "",
                   count(w.unreadable, "path", "paths") +
                       " of the walk could not be read (walk.unreadable diagnostics name them)",
                   false});
  return out;
}

std::string finding_id(const std::string& rule_id, const std::string& subject,
                       const std::vector<std::string>& archs) {
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a 64
  auto mix = [&](const std::string& s) {
    for (unsigned char ch : s) {
      h ^= ch;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;
    h *= 1099511628211ULL;
  };
  mix(rule_id);
  mix(subject);
  auto sorted = archs;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& a : sorted) mix(a);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "F-";  // then 16 lower-case hex digits, most significant first
  for (int shift = 60; shift >= 0; shift -= 4) id += kHex[(h >> shift) & 0xfU];
  return id;
}

Result run(const Input& in, core::Diagnostics& diags) {
  const core::StageTimer timer(core::Stage::kAnalysis);
  Result res;
  std::vector<PerArchFinding> per_arch;
  // Messages name the target by its display name ("openEuler 22.03 LTS SP4"); the id is
  // {target_id}. Without a pack the id is all there is.
  std::string target_name = in.target;
  for (const auto& a : in.archs)
    if (a.kb && !a.kb->target().name.empty()) target_name = a.kb->target().name;
  // One architecture's analysis reads only shared, immutable inputs (inventory, packs, rules,
  // profile) and writes its own outcomes, checks not run and per-arch findings; diagnostics go
  // to the thread-safe, order-independent sink. The parts are joined in arch order below, so the
  // result is the same bytes as a sequential run.
  const auto analyze_arch = [&](const ArchInput& a, Result& res,
                                std::vector<PerArchFinding>& per_arch) {
    std::vector<Hit> hits;
    ArchContext c{in.inv,    in.profile, in.rules, a.arch,      in.source,
                  in.target, a.kb,       hits,     res.not_run, diags};
    if (!a.kb) {
      for (const auto chk : kKbChecks) c.skip(chk, a.no_kb_reason);
    }
    check_host(c);
    check_packages(c);
    check_dependencies(c);
    check_elf_linkage(c);
    check_kernel_modules(c);
    check_scripts_services(c);
    check_config(c);
    evaluate_probes(c);
    for (const auto& w : in.waivers) {
      if (!waiver_expired(w, in.today)) continue;
      hits.push_back({"waiver_expired",
                      w.rule + " " + w.subject,
                      {{"rule", w.rule},
                       {"pattern", w.subject},
                       {"owner", w.owner},
                       {"expires", w.expires},
                       {"reason", w.reason}},
                      {{w.where, "expired " + w.expires + " (owner " + w.owner + ")"}},
                      {}});
    }

    // Subjects an owning check (ELF, programs) reports as a finding on this architecture: a
    // grouped dependency finding leaves them to it (its line goes there, as `also`).
    std::set<std::string> owned;
    for (const auto& h : hits) {
      bool primary = false;
      const auto key = owned_subject(h.kind, h.subject, primary);
      if (key.empty() || !primary) continue;
      const auto& kind = kind_info(h.kind);
      for (const auto& r : in.rules.rules) {
        if (r.finding && r.group_message.empty() && matches(r, h, kind) &&
            applies(r, a.arch, in.source, in.target)) {
          owned.insert(key);
          break;
        }
      }
    }
    std::vector<std::pair<std::string, std::set<std::tuple<std::string, std::string>>>> deferred;
    std::map<std::pair<std::string, std::string>, Group> groups;
    for (auto& h : hits) {
      const auto& kind = kind_info(h.kind);
      const Rule* outcome_rule = nullptr;
      for (const auto& r : in.rules.rules) {
        if (!matches(r, h, kind) || !applies(r, a.arch, in.source, in.target)) continue;
        if (h.kind == "package_fate_in" && prefer_for_outcome(r, outcome_rule)) outcome_rule = &r;
        if (!r.finding) continue;
        if (!r.group_message.empty()) {
          // One finding for all hits of the rule: each hit is evidence worded by the rule's
          // message. A package's hit is one line under its NEVRA (which names the package);
          // any other hit keeps its subject and its own evidence lines.
          auto& g = groups[{r.id, r.title}];
          g.rule = &r;
          ++g.items;
          auto vars = h.attrs;
          vars["subject"] = h.subject;
          vars["arch"] = a.arch;
          vars["target"] = target_name;
          vars["target_id"] = in.target;
          vars["source"] = in.source;
          vars["count"] = std::to_string(h.evidence.size());
          auto line = render_template(r.message, vars);
          // The group is as sure as its least sure line (grouping.cpp reads "evidence").
          const auto ev = h.attrs.find("evidence");
          if (ev != h.attrs.end() && (ev->second == "derived" || ev->second == "third-party")) {
            line += " [" + ev->second + " evidence]";
            g.vars["evidence"] = "derived";
          }
          bool primary = true;
          const auto key = owned_subject(h.kind, h.subject, primary);
          if (!key.empty() && !primary && owned.count(key)) {
            --g.items;
            std::set<std::tuple<std::string, std::string>> lines{
                {h.subject, "also found by " + r.id + ": " + line}};
            for (const auto& e : h.evidence) lines.emplace(e.subject, e.detail);
            deferred.emplace_back(key, std::move(lines));
            continue;
          }
          const auto& first = h.evidence.empty() ? h.subject : h.evidence.front().subject;
          if (h.evidence.size() == 1 && first.rfind(h.subject + "-", 0) == 0) {
            g.evidence.emplace(first, line);
          } else {
            g.evidence.emplace(h.subject, line);
            for (const auto& e : h.evidence) g.evidence.emplace(e.subject, e.detail);
          }
          continue;
        }
        auto& g = groups[{r.id, h.subject}];
        if (!g.rule) {
          g.rule = &r;
          g.vars = h.attrs;
        }
        for (const auto& e : h.evidence) g.evidence.emplace(e.subject, e.detail);
      }
      if (outcome_rule) {
        auto vars = h.attrs;
        vars["subject"] = h.subject;
        vars["arch"] = a.arch;
        vars["target"] = target_name;
        vars["target_id"] = in.target;
        report::PackageOutcome o;
        o.package = h.attrs.at("nevra");
        o.arch = a.arch;
        o.fate = h.attrs.at("fate");
        o.target_version = h.attrs.at("target_version");
        const auto& succ = h.attrs.at("successors");
        for (std::size_t b = 0; b < succ.size();) {
          auto e = succ.find(", ", b);
          o.successors.push_back(succ.substr(b, e == std::string::npos ? e : e - b));
          b = e == std::string::npos ? succ.size() : e + 2;
        }
        o.major_jump = h.attrs.at("major_jump") == "yes";
        o.evidence = h.attrs.at("evidence");
        o.sources = h.attrs.at("reference");
        o.outcome = render_template(outcome_rule->message, vars);
        o.action = render_template(outcome_rule->remediation, vars);
        o.rule_id = outcome_rule->id;
        if (!outcome_rule->zh_message.empty()) {
          o.outcome_zh = render_template(outcome_rule->zh_message, vars);
          o.action_zh = render_template(outcome_rule->zh_remediation, vars);
        }
        res.outcomes.push_back(std::move(o));
      }
      // Released as soon as it is grouped: a root of 200,000 scripts has 200,000 hits, which
      // must not live beside their groups and findings.
      h = Hit{};
    }
    for (auto& [key_subject, lines] : deferred) {
      for (auto& [key, g] : groups) {
        bool primary = false;
        if (g.rule->group_message.empty() && key.second == key_subject &&
            !owned_subject(g.rule->condition.kind, key.second, primary).empty() && primary) {
          g.also.insert(lines.begin(), lines.end());
          break;
        }
      }
    }
    hits = std::vector<Hit>{};
    for (auto& [key, g] : groups) {
      if (g.rule->group_message.empty() ? false : g.items == 0)
        continue;  // every line owned elsewhere
      auto vars = g.vars;
      vars["subject"] = key.second;
      vars["target"] = target_name;
      vars["target_id"] = in.target;
      vars["source"] = in.source;
      vars["count"] = std::to_string(
          g.rule->group_message.empty() ? g.evidence.size() : static_cast<std::size_t>(g.items));
      PerArchFinding p;
      p.rule = g.rule;
      p.arch = a.arch;
      p.vars = vars;
      p.evidence.reserve(g.evidence.size() + g.also.size());
      while (!g.evidence.empty()) {  // moved out node by node: 200,000 entries are not copied
        auto node = g.evidence.extract(g.evidence.begin());
        p.evidence.push_back(
            {std::move(std::get<0>(node.value())), std::move(std::get<1>(node.value()))});
      }
      for (const auto& [s, d] : g.also) p.evidence.push_back({s, d});
      sort_unique(p.evidence);
      per_arch.push_back(std::move(p));
    }
  };
  // The architectures are independent: two at a time, joined in arch order. The gain is bounded
  // by the smaller one (on bench/'s roots the host's own arch does most of the ELF work).
  std::vector<std::pair<Result, std::vector<PerArchFinding>>> parts(in.archs.size());
  core::run_parallel_jobs(in.archs.size(), 2, [&](std::size_t i) {
    analyze_arch(in.archs[i], parts[i].first, parts[i].second);
  });
  for (auto& [part, findings] : parts) {
    std::move(part.not_run.begin(), part.not_run.end(), std::back_inserter(res.not_run));
    std::move(part.outcomes.begin(), part.outcomes.end(), std::back_inserter(res.outcomes));
    std::move(findings.begin(), findings.end(), std::back_inserter(per_arch));
  }
  parts.clear();
  if (in.group) {
    res.findings = assign_owner_checks(merge_across_archs(std::move(per_arch)), in.rules);
  } else {
    for (auto& p : per_arch) {
      auto one = merge_across_archs({std::move(p)});
      res.findings.push_back(std::move(one.front()));
    }
  }
  for (auto& f : res.findings) {
    f.id = finding_id(f.rule_id, f.subject, f.archs);
    const Rule* rule = in.rules.find(f.rule_id);
    for (const auto& w : in.waivers) {
      if (waiver_expired(w, in.today) || in.rules.find(w.rule) != rule) continue;
      // A grouped finding (group_message) is waived when the pattern names it or every one of
      // its subjects; part of one cannot be waived, as its message counts them all.
      const bool all_evidence =
          rule && !rule->group_message.empty() && !f.evidence.empty() &&
          std::all_of(f.evidence.begin(), f.evidence.end(), [&](const report::Evidence& e) {
            return ::fnmatch(w.subject.c_str(), e.subject.c_str(), 0) == 0;
          });
      if (::fnmatch(w.subject.c_str(), f.subject.c_str(), 0) != 0 && !all_evidence) continue;
      f.waived = true;
      f.waiver_reason = w.reason;
      f.waiver_owner = w.owner;
      f.waiver_expires = w.expires;
      break;
    }
  }
  return res;
}

}  // namespace premigrate::analyze
