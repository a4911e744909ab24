// Merging per-architecture findings into one finding per cause, and giving a soname that two
// checks see to one owner check (grouping.hpp).
#include "analyze/grouping.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <tuple>

#include "kb/soname.hpp"

namespace premigrate::analyze {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string owned_key(const report::Finding& f, const RuleSet& rules, bool& primary) {
  const Rule* r = rules.find(f.rule_id);
  if (!r || !r->group_message.empty()) return {};  // a grouped finding's subject is its title
  return owned_subject(r->condition.kind, f.subject, primary);
}

bool covers(const std::vector<std::string>& outer, const std::vector<std::string>& inner) {
  return std::all_of(inner.begin(), inner.end(), [&](const std::string& a) {
    return std::find(outer.begin(), outer.end(), a) != outer.end();
  });
}

// Moves `other` into `owner`: its evidence as it is, and a line naming the other check so a
// reader who knows that rule finds its subject here.
void absorb(report::Finding& owner, const report::Finding& other) {
  owner.evidence.insert(owner.evidence.end(), other.evidence.begin(), other.evidence.end());
  owner.evidence.push_back(
      {other.subject, "also found by " + other.rule_id + ": " + other.message});
  sort_unique(owner.evidence);
}

}  // namespace

void sort_unique(std::vector<report::Evidence>& ev) {
  std::sort(ev.begin(), ev.end(), [](const auto& a, const auto& b) {
    return std::tie(a.subject, a.detail) < std::tie(b.subject, b.detail);
  });
  ev.erase(std::unique(ev.begin(), ev.end(),
                       [](const auto& a, const auto& b) {
                         return a.subject == b.subject && a.detail == b.detail;
                       }),
           ev.end());
}

std::string owned_subject(const std::string& kind, const std::string& subject, bool& primary) {
  if (kind == "elf_missing_soname" || kind == "elf_missing_version" || kind == "missing_program") {
    primary = true;
    return subject;
  }
  if (kind != "unresolved_dependency") return {};
  primary = false;
  if (!subject.empty() && subject.front() == '/') return subject;  // a file dependency
  const auto cap = kb::parse_soname_capability(subject, "rpm");
  if (!cap) return {};
  return cap->version_node.empty() ? cap->soname : cap->soname + "(" + cap->version_node + ")";
}

std::vector<report::Finding> merge_across_archs(std::vector<PerArchFinding> in) {
  struct Merged {
    const Rule* rule = nullptr;
    std::map<std::string, std::string> vars;
    std::vector<std::string> archs;
    // Each entry with the architectures it was seen on, as bits of `archs` (a root of 200,000
    // scripts has 200,000 entries: no per-entry list of names).
    std::map<std::pair<std::string, std::string>, std::uint32_t> evidence;
  };
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index;
  std::vector<Merged> merged;
  for (auto& p : in) {
    // The wording with the architecture left out: equal wording means the same cause.
    auto neutral = p.vars;
    neutral["arch"] = "\x01";
    const std::string wording = render_template(p.rule->finding_message(), neutral) + '\x1e' +
                                render_template(p.rule->finding_remediation(), neutral);
    const auto key = std::make_tuple(p.rule->id, p.vars["subject"], wording);
    const auto [it, fresh] = index.try_emplace(key, merged.size());
    if (fresh) merged.push_back({p.rule, std::move(p.vars), {}, {}});
    auto& m = merged[it->second];
    const std::uint32_t bit = std::uint32_t{1} << (m.archs.size() % 32);
    m.archs.push_back(p.arch);
    for (auto& e : p.evidence) m.evidence[{std::move(e.subject), std::move(e.detail)}] |= bit;
    p.evidence = {};  // released as it is merged
  }
  std::vector<report::Finding> out;
  out.reserve(merged.size());
  for (auto& m : merged) {
    m.vars["arch"] = join(m.archs);
    report::Finding f;
    f.rule_id = m.rule->id;
    f.category = m.rule->category;
    f.severity = m.rule->severity;
    f.archs = m.archs;
    f.subject = m.vars["subject"];
    f.message = render_template(m.rule->finding_message(), m.vars);
    if (!m.rule->finding_message(true).empty()) {
      f.message_zh = render_template(m.rule->finding_message(true), m.vars);
      f.remediation_zh = render_template(m.rule->finding_remediation(true), m.vars);
    }
    f.certainty = m.rule->certainty;
    if (f.certainty == "observed" &&
        (m.vars["evidence"] == "derived" || m.vars["evidence"] == "third-party"))
      f.certainty = "derived";
    f.remediation = render_template(m.rule->finding_remediation(), m.vars);
    f.references = m.rule->references;
    const std::uint32_t all =
        m.archs.size() >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << m.archs.size()) - 1;
    f.evidence.reserve(m.evidence.size());
    while (!m.evidence.empty()) {  // moved out node by node, in order
      auto node = m.evidence.extract(m.evidence.begin());
      auto& key = node.key();
      std::string detail = std::move(key.second);
      if (node.mapped() != all) {
        std::vector<std::string> seen_on;
        for (std::size_t i = 0; i < m.archs.size() && i < 32; ++i)
          if (node.mapped() & (std::uint32_t{1} << i)) seen_on.push_back(m.archs[i]);
        detail += " [" + join(seen_on) + " only]";
      }
      f.evidence.push_back({std::move(key.first), std::move(detail)});
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<report::Finding> assign_owner_checks(std::vector<report::Finding> in,
                                                 const RuleSet& rules) {
  std::map<std::string, std::vector<std::size_t>> elf_by_key;
  for (std::size_t i = 0; i < in.size(); ++i) {
    bool primary = false;
    const auto k = owned_key(in[i], rules, primary);
    if (!k.empty() && primary) elf_by_key[k].push_back(i);
  }
  std::vector<bool> dropped(in.size(), false);
  // Two primary checks on one subject (a program that scripts and services both run): the most
  // severe owns it (the first on a tie), the other's evidence moves in.
  for (auto& [key, idx] : elf_by_key) {
    for (std::size_t a = 0; a < idx.size(); ++a) {
      for (std::size_t b = a + 1; b < idx.size(); ++b) {
        auto& owner = in[idx[a]];
        auto& other = in[idx[b]];
        if (dropped[idx[a]] || dropped[idx[b]] || owner.archs != other.archs) continue;
        if (other.severity > owner.severity) {
          absorb(other, owner);
          dropped[idx[a]] = true;
        } else {
          absorb(owner, other);
          dropped[idx[b]] = true;
        }
      }
    }
  }
  for (std::size_t i = 0; i < in.size(); ++i) {
    bool primary = true;
    const auto k = owned_key(in[i], rules, primary);
    if (k.empty() || primary) continue;
    const auto it = elf_by_key.find(k);
    if (it == elf_by_key.end()) continue;
    for (const auto j : it->second) {
      if (dropped[j] || dropped[i] || !covers(in[j].archs, in[i].archs)) continue;
      // The more severe check owns the cause; on a tie the primary one, which names the objects
      // or scripts that need it.
      if (in[i].severity > in[j].severity && in[i].archs == in[j].archs) {
        absorb(in[i], in[j]);
        dropped[j] = true;
      } else {
        absorb(in[j], in[i]);
        dropped[i] = true;
      }
      break;
    }
  }
  std::vector<report::Finding> out;
  for (std::size_t i = 0; i < in.size(); ++i)
    if (!dropped[i]) out.push_back(std::move(in[i]));
  return out;
}

}  // namespace premigrate::analyze
