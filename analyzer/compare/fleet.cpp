// Fleet aggregation over report JSON, one report at a time.
#include "compare/fleet.hpp"

#include <algorithm>
#include <sstream>

#include "compare/json_read.hpp"
#include "core/text.hpp"
#include "report/verdict.hpp"

namespace premigrate::compare {

namespace {

// A host's overall word when its report is an error report: worse than any verdict.
constexpr const char* kErrorHost = "error";

// Worst first, the order hosts are grouped in: an error report, then the verdicts
// (report::Verdict is ordered worst first). add() admits only known words.
int overall_rank(const std::string& overall) {
  if (overall == kErrorHost) return -1;
  return static_cast<int>(*report::parse_verdict(overall));
}

std::string host_name(const nlohmann::json& report, const std::filesystem::path& source) {
  std::string named = str_at(obj_at(obj_at(report, "host"), "facts"), "hostname");
  if (!named.empty()) return named;
  // scan writes premigrate-report.json into a per-host directory: the directory names it.
  if (source.filename() == "premigrate-report.json" && source.has_parent_path() &&
      !source.parent_path().filename().empty()) {
    return source.parent_path().filename().string();
  }
  return source.stem().string();
}

}  // namespace

void FleetAggregator::add(const nlohmann::json& report, const std::filesystem::path& source) {
  // Every verdict word is checked before anything is counted: a report with an unknown one is
  // refused whole (fleet lists it as unreadable).
  const bool error_report = report.contains("error") && !report["error"].is_null();
  std::vector<std::pair<std::string, report::Verdict>> verdicts;
  if (!error_report) {
    for (const auto& v : arr_at(report, "verdicts")) {
      const std::string arch = str_at(v, "arch");
      verdicts.emplace_back(arch,
                            report::verdict_or_throw(str_at(v, "verdict"), "verdict of " + arch));
    }
  }
  HostEntry h;
  h.name = host_name(report, source);
  h.source = source.string();
  const std::string target = str_at(report, "target");
  targets_[target.empty() ? "(none)" : target]++;
  if (error_report) {
    h.overall = kErrorHost;
  } else {
    // No verdict at all is not ready.
    auto worst = verdicts.empty() ? report::Verdict::kIncomplete : verdicts.front().second;
    for (const auto& [arch, verdict] : verdicts) {
      const std::string word(report::to_string(verdict));
      arch_verdicts_[arch][word]++;
      h.verdicts.emplace_back(arch, word);
      worst = std::min(worst, verdict);
    }
    h.overall = report::to_string(worst);
  }
  // Each rule counts a host once, however many subjects it hit there.
  std::map<std::string, std::pair<bool, bool>> seen;  // rule -> (any unwaived, unwaived blocker)
  for (const auto& f : arr_at(report, "findings")) {
    if (f.value("waived", false)) continue;
    const std::string rule = str_at(f, "rule_id"), sev = str_at(f, "severity");
    if (rule.empty()) continue;
    auto& agg = rules_[rule];
    if (agg.message.empty()) {
      agg.message = str_at(f, "message");
      agg.remediation = str_at(f, "remediation");
      agg.category = str_at(f, "category");
    }
    if (severity_rank(sev) > severity_rank(agg.severity)) agg.severity = sev;
    for (const auto& a : arr_at(f, "archs")) {
      if (a.is_string()) agg.archs.insert(a.get<std::string>());
    }
    auto& s = seen[rule];
    s.first = true;
    s.second = s.second || sev == "blocker";
  }
  for (const auto& [rule, s] : seen) {
    auto& agg = rules_[rule];
    agg.hosts++;
    if (s.second) agg.blocked_hosts++;
    if (agg.sample_hosts.size() < 5) agg.sample_hosts.push_back(h.name);
  }
  hosts_.push_back(std::move(h));
}

void FleetAggregator::add_unreadable(const std::filesystem::path& source,
                                     const std::string& message) {
  unreadable_.emplace_back(source.string(), message);
}

nlohmann::json FleetAggregator::result(std::size_t top_n) const {
  nlohmann::json archs = nlohmann::json::array();
  for (const auto& [arch, counts] : arch_verdicts_) {
    std::size_t total = 0;
    for (const auto& [v, n] : counts) total += n;
    std::size_t ready = 0;
    for (const auto v : {report::Verdict::kReady, report::Verdict::kReadyAfterActions})
      if (const auto it = counts.find(std::string(report::to_string(v))); it != counts.end())
        ready += it->second;
    archs.push_back({{"arch", arch},
                     {"hosts", total},
                     {"verdicts", counts},
                     {"ready_pct", total ? static_cast<int>(ready * 100 / total) : 0}});
  }
  auto rule_json = [](const std::string& id, const RuleAgg& r) {
    return nlohmann::json{{"rule_id", id},
                          {"severity", r.severity},
                          {"category", r.category},
                          {"message", r.message},
                          {"remediation", r.remediation},
                          {"hosts", r.hosts},
                          {"blocked_hosts", r.blocked_hosts},
                          {"archs", r.archs},
                          {"sample_hosts", r.sample_hosts}};
  };
  std::vector<const std::pair<const std::string, RuleAgg>*> order;
  for (const auto& e : rules_) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    if (a->second.blocked_hosts != b->second.blocked_hosts) {
      return a->second.blocked_hosts > b->second.blocked_hosts;
    }
    if (a->second.hosts != b->second.hosts) return a->second.hosts > b->second.hosts;
    return a->first < b->first;
  });
  nlohmann::json blockers = nlohmann::json::array(), top = nlohmann::json::array();
  for (const auto* e : order) {
    if (e->second.blocked_hosts > 0 && blockers.size() < top_n)
      blockers.push_back(rule_json(e->first, e->second));
  }
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    if (a->second.hosts != b->second.hosts) return a->second.hosts > b->second.hosts;
    return a->first < b->first;
  });
  for (const auto* e : order) {
    if (severity_rank(e->second.severity) >= severity_rank("high") && top.size() < top_n) {
      top.push_back(rule_json(e->first, e->second));
    }
  }
  std::vector<const HostEntry*> hs;
  for (const auto& h : hosts_) hs.push_back(&h);
  std::sort(hs.begin(), hs.end(), [](const HostEntry* a, const HostEntry* b) {
    const int ra = overall_rank(a->overall), rb = overall_rank(b->overall);
    if (ra != rb) return ra < rb;
    if (a->name != b->name) return a->name < b->name;
    return a->source < b->source;
  });
  nlohmann::json groups = nlohmann::json::array();
  for (const auto* h : hs) {
    if (groups.empty() || groups.back()["verdict"] != h->overall) {
      groups.push_back({{"verdict", h->overall}, {"count", 0}, {"hosts", nlohmann::json::array()}});
    }
    nlohmann::json v = nlohmann::json::array();
    for (const auto& [a, verdict] : h->verdicts) v.push_back({{"arch", a}, {"verdict", verdict}});
    groups.back()["hosts"].push_back({{"name", h->name}, {"source", h->source}, {"verdicts", v}});
    groups.back()["count"] = groups.back()["count"].get<int>() + 1;
  }
  nlohmann::json bad = nlohmann::json::array();
  auto unreadable = unreadable_;
  std::sort(unreadable.begin(), unreadable.end());
  for (const auto& [src, msg] : unreadable) bad.push_back({{"source", src}, {"message", msg}});
  return {{"schema_version", kFleetSchemaVersion},
          {"kind", "premigrate-fleet"},
          {"hosts", hosts_.size()},
          {"targets", targets_},
          {"archs", archs},
          {"top_blockers", blockers},
          {"top_findings", top},
          {"host_groups", groups},
          {"unreadable", bad}};
}

std::string fleet_text(const nlohmann::json& f) {
  std::ostringstream o;
  o << "premigrate fleet — " << f.value("hosts", 0) << " host(s)";
  if (!arr_at(f, "unreadable").empty())
    o << ", " << arr_at(f, "unreadable").size() << " unreadable report(s)";
  o << "\n";
  for (const auto& a : arr_at(f, "archs")) {
    o << "  " << core::terminal_safe(str_at(a, "arch")) << ": " << a.value("ready_pct", 0)
      << "% ready";
    for (const auto& [v, n] : obj_at(a, "verdicts").items())
      o << "  " << core::terminal_safe(v) << "=" << n.get<int>();
    o << "\n";
  }
  const auto& b = arr_at(f, "top_blockers");
  if (!b.empty()) o << "\nBlocking the most hosts:\n";
  int n = 0;
  for (const auto& r : b) {
    if (++n > 10) break;
    o << "  " << r.value("blocked_hosts", 0) << " host(s)  "
      << core::terminal_safe(str_at(r, "rule_id")) << ": "
      << core::terminal_safe(str_at(r, "message")) << "\n";
  }
  return o.str();
}

}  // namespace premigrate::compare
