// The first screen shared by the HTML, text, JUnit and SARIF renderers (first_screen.hpp).
#include "render/first_screen.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "render/html_view.hpp"

namespace premigrate::render {

namespace {

std::string join(const std::set<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Architectures the scanned host itself runs (host.facts.architectures).
std::set<std::string> host_archs(const nlohmann::json& report) {
  std::set<std::string> out;
  const auto host = report.find("host");
  if (host == report.end() || !host->is_object()) return out;
  const auto facts = host->find("facts");
  if (facts == host->end()) return out;
  for (const auto& a : arr_of(*facts, "architectures"))
    if (a.is_string()) out.insert(a.get<std::string>());
  return out;
}

}  // namespace

nlohmann::json first_screen(const nlohmann::json& report, std::size_t max_actions) {
  nlohmann::json out = nlohmann::json::object();
  const auto own = host_archs(report);
  // Verdicts: the host's own architecture first, the rest in report order.
  nlohmann::json own_first = nlohmann::json::array(), others = nlohmann::json::array();
  for (const auto& v : arr_of(report, "verdicts")) {
    const std::string arch = str_of(v, "arch");
    const bool cross = !own.empty() && own.count(arch) == 0;
    nlohmann::json e = {
        {"arch", arch},
        {"verdict", str_of(v, "verdict")},
        // -1: a report without a score (older, or hand-made): none is shown.
        {"score", v.is_object() ? v.value("score", -1) : -1},
        {"score_bound", str_of(v, "score_bound").empty() ? "exact" : str_of(v, "score_bound")},
        {"cross_arch", cross},
        {"counts",
         v.is_object() ? v.value("counts", nlohmann::json::object()) : nlohmann::json::object()}};
    (cross ? others : own_first).push_back(std::move(e));
  }
  for (auto& e : others) own_first.push_back(std::move(e));
  out["verdicts"] = std::move(own_first);

  // Actions: unwaived findings of severity low and above, one entry per rule.
  std::map<std::string, nlohmann::json> by_rule;
  std::map<std::string, std::set<std::string>> archs_of;
  std::size_t unknown = 0;
  for (const auto& f : arr_of(report, "findings")) {
    if (!f.is_object() || f.value("waived", false)) continue;
    if (str_of(f, "certainty") == "unknown") ++unknown;
    const std::string sev = str_of(f, "severity");
    if (severity_rank(sev) < 1) continue;
    const std::string rule = str_of(f, "rule_id");
    auto [it, fresh] = by_rule.try_emplace(rule);
    if (fresh) {
      it->second = {
          {"rule_id", rule},
          {"severity", sev},
          {"rank", severity_rank(sev)},
          {"findings", 0},
          {"subjects", 0},
          {"subject", str_of(f, "subject")},
          {"message", str_of(f, "message")},
          {"remediation", str_of(f, "remediation")},
          {"message_zh", str_of(f, "message_zh")},
          {"remediation_zh", str_of(f, "remediation_zh")},
          {"certainty", str_of(f, "certainty").empty() ? "observed" : str_of(f, "certainty")}};
    }
    auto& e = it->second;
    e["findings"] = e["findings"].get<int>() + 1;
    // A finding's subjects are its evidence rows (objects, packages); one without evidence
    // is about its own subject.
    e["subjects"] =
        e["subjects"].get<int>() + std::max(1, static_cast<int>(arr_of(f, "evidence").size()));
    for (const auto& a : arr_of(f, "archs"))
      if (a.is_string()) archs_of[rule].insert(a.get<std::string>());
  }
  std::vector<nlohmann::json> actions;
  for (auto& [rule, e] : by_rule) {
    e["archs"] = join(archs_of[rule]);
    e["more"] = e["findings"].get<int>() > 1;
    e["one_subject"] = e["subjects"].get<int>() == 1;
    e["others"] = e["findings"].get<int>() - 1;
    actions.push_back(std::move(e));
  }
  std::stable_sort(actions.begin(), actions.end(), [](const auto& a, const auto& b) {
    if (a["rank"] != b["rank"])
      return a["rank"].template get<int>() > b["rank"].template get<int>();
    return a["subjects"].template get<int>() > b["subjects"].template get<int>();
  });
  out["actions_total"] = actions.size();
  if (actions.size() > max_actions) actions.resize(max_actions);
  out["actions"] = actions;

  // Coverage: checks not run (with the architectures), packages the KB could not place.
  std::map<std::string, std::set<std::string>> not_run;
  for (const auto& v : arr_of(report, "verdicts"))
    for (const auto& c : arr_of(v, "checks_not_run"))
      not_run[str_of(c, "check")].insert(str_of(v, "arch"));
  nlohmann::json nr = nlohmann::json::array();
  for (const auto& [check, archs] : not_run)
    nr.push_back({{"check", check}, {"archs", join(archs)}});
  std::map<std::string, int> undecided;
  for (const auto& o : arr_of(report, "package_outcomes")) {
    const std::string fate = str_of(o, "fate");
    if (fate == "unknown" || fate == "source_present") undecided[str_of(o, "arch")]++;
  }
  nlohmann::json und = nlohmann::json::array();
  for (const auto& v : out["verdicts"]) {
    const auto it = undecided.find(v["arch"].get<std::string>());
    if (it != undecided.end()) und.push_back({{"arch", it->first}, {"n", it->second}});
  }
  out["coverage"] = {{"not_run", nr},
                     {"undecided", und},
                     {"unknown_findings", unknown},
                     {"complete", nr.empty() && und.empty() && unknown == 0}};
  return out;
}

}  // namespace premigrate::render
