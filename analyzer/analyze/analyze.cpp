// The rule engine: runs the checkers per architecture, matches their hits against the rules,
// groups hits into findings (one finding per rule and subject, all evidence inside), merges
// identical findings across architectures, and applies waivers.
#include "analyze/analyze.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "analyze/context.hpp"

namespace premigrate::analyze {

namespace {

// The checks that need a KB pack; without one they are listed as not run.
const char* const kKbChecks[] = {"packages",         "third-party-dependencies",
                                 "elf-linkage",      "kernel-module-kabi",
                                 "scripts-services", "openssh-keywords"};

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
};

const KindInfo& kind_info(const std::string& name) {
  for (const auto& k : condition_kinds())
    if (k.name == name) return k;
  static const KindInfo kNone{};
  return kNone;
}

// Which checks lose their input when a collector did not finish.
const std::pair<const char*, std::vector<const char*>> kCollectorChecks[] = {
    {"rpmdb", {"packages", "third-party-dependencies"}},
    {"files", {"elf-linkage", "kernel-modules", "scripts-services"}},
    {"elf", {"elf-linkage"}},
    {"kmod", {"kernel-modules"}},
    {"scripts", {"scripts-services"}},
    {"services", {"scripts-services"}},
    {"cron", {"scripts-services"}},
    {"config", {"config"}},
    {"host", {"host"}},
};

}  // namespace

std::vector<report::CheckNotRun> collector_gaps(const facts::Inventory& inv) {
  std::vector<report::CheckNotRun> out;
  for (const auto& c : inv.collectors) {
    if (c.status == "ok") continue;
    for (const auto& [name, checks] : kCollectorChecks) {
      if (c.name != name) continue;
      for (const char* chk : checks) {
        out.push_back(
            {chk, "",
             "collector " + c.name + " " + c.status + (c.reason.empty() ? "" : ": " + c.reason)});
      }
    }
  }
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
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string("F-") + buf;
}

Result run(const Input& in, core::Diagnostics& diags) {
  Result res;
  std::vector<report::Finding> per_arch;
  for (const auto& a : in.archs) {
    std::vector<Hit> hits;
    ArchContext c{in.inv, in.profile, in.rules,    a.arch, in.source,
                  in.target, a.kb, hits,       res.not_run, diags};
    if (!a.kb) {
      for (const char* chk : kKbChecks) c.skip(chk, a.no_kb_reason);
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

    std::map<std::pair<std::string, std::string>, Group> groups;
    for (auto& h : hits) {
      const auto& kind = kind_info(h.kind);
      const Rule* outcome_rule = nullptr;
      for (const auto& r : in.rules.rules) {
        if (!matches(r, h, kind) || !applies(r, a.arch, in.source, in.target)) continue;
        if (h.kind == "package_fate_in" && (!outcome_rule || (outcome_rule->finding && !r.finding)))
          outcome_rule = &r;
        if (!r.finding) continue;
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
        vars["target"] = in.target;
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
        res.outcomes.push_back(std::move(o));
      }
      // Released as soon as it is grouped: a root of 200,000 scripts has 200,000 hits, which
      // must not live beside their groups and findings.
      h = Hit{};
    }
    hits = std::vector<Hit>{};
    for (auto& [key, g] : groups) {
      auto vars = g.vars;
      vars["subject"] = key.second;
      vars["arch"] = a.arch;
      vars["target"] = in.target;
      vars["source"] = in.source;
      vars["count"] = std::to_string(g.evidence.size());
      report::Finding f;
      f.rule_id = g.rule->id;
      f.category = g.rule->category;
      f.severity = g.rule->severity;
      f.archs = {a.arch};
      f.subject = key.second;
      f.message = render_template(g.rule->message, vars);
      f.remediation = render_template(g.rule->remediation, vars);
      f.references = g.rule->references;
      f.evidence.reserve(g.evidence.size());
      while (!g.evidence.empty()) {  // moved out node by node, in order
        auto node = g.evidence.extract(g.evidence.begin());
        f.evidence.push_back({std::move(std::get<0>(node.value())), std::move(std::get<1>(node.value()))});
      }
      per_arch.push_back(std::move(f));
    }
  }
  // Identical findings on several architectures become one finding listing them all.
  // The evidence enters the key as a hash (a copy of 200,000 entries per key would double the
  // memory); equal hashes are confirmed by comparing the lists.
  std::multimap<std::tuple<std::string, std::string, std::string, std::string, std::uint64_t>,
                std::size_t>
      seen;
  auto same_evidence = [](const report::Finding& a, const report::Finding& b) {
    if (a.evidence.size() != b.evidence.size()) return false;
    for (std::size_t i = 0; i < a.evidence.size(); ++i)
      if (a.evidence[i].subject != b.evidence[i].subject ||
          a.evidence[i].detail != b.evidence[i].detail)
        return false;
    return true;
  };
  for (auto& f : per_arch) {
    std::uint64_t ev = 14695981039346656037ULL;  // FNV-1a 64 over subject, detail, separators
    auto mix = [&](const std::string& text, unsigned char sep) {
      for (unsigned char ch : text) ev = (ev ^ ch) * 1099511628211ULL;
      ev = (ev ^ sep) * 1099511628211ULL;
    };
    for (const auto& e : f.evidence) {
      mix(e.subject, 0x1f);
      mix(e.detail, 0x1e);
    }
    auto key = std::make_tuple(f.rule_id, f.subject, f.message, f.remediation, ev);
    bool merged = false;
    for (auto [it, end] = seen.equal_range(key); it != end && !merged; ++it) {
      if (!same_evidence(res.findings[it->second], f)) continue;
      res.findings[it->second].archs.push_back(f.archs.front());
      merged = true;
    }
    if (merged) continue;
    seen.emplace(key, res.findings.size());
    res.findings.push_back(std::move(f));
  }
  per_arch = std::vector<report::Finding>{};
  for (auto& f : res.findings) {
    f.id = finding_id(f.rule_id, f.subject, f.archs);
    const Rule* rule = in.rules.find(f.rule_id);
    for (const auto& w : in.waivers) {
      if (waiver_expired(w, in.today) || in.rules.find(w.rule) != rule) continue;
      if (::fnmatch(w.subject.c_str(), f.subject.c_str(), 0) != 0) continue;
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
