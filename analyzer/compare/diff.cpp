// Report diff: findings matched by id; fixed = only in the old report, new = only in the new
// one; severity and waiver changes for findings in both; verdict changes per architecture; and
// actions (one per rule, as the report's first screen groups them) done, new and still open.
#include "compare/diff.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "compare/json_read.hpp"
#include "core/text.hpp"
#include "report/verdict.hpp"

namespace premigrate::compare {

namespace {

std::map<std::string, const nlohmann::json*> by_id(const nlohmann::json& report) {
  std::map<std::string, const nlohmann::json*> m;
  for (const auto& f : arr_at(report, "findings")) {
    const std::string id = str_at(f, "id");
    if (!id.empty()) m.emplace(id, &f);
  }
  return m;
}

nlohmann::json run_summary(const nlohmann::json& r) {
  return {{"generated_at", str_at(r, "generated_at")},
          {"target", str_at(r, "target")},
          {"tool_version", str_at(obj_at(r, "tool"), "version")},
          {"root", str_at(obj_at(r, "host"), "root")},
          {"error", str_at(obj_at(r, "error"), "message")}};
}

// Highest severity first, then id; `key` picks the finding out of an entry.
void sort_entries(nlohmann::json& list, bool nested) {
  auto fin = [nested](const nlohmann::json& e) -> const nlohmann::json& {
    return nested ? e.at("finding") : e;
  };
  std::sort(list.begin(), list.end(), [&](const nlohmann::json& a, const nlohmann::json& b) {
    const int ra = severity_rank(str_at(fin(a), "severity"));
    const int rb = severity_rank(str_at(fin(b), "severity"));
    if (ra != rb) return ra > rb;
    return str_at(fin(a), "id") < str_at(fin(b), "id");
  });
}

// Actions as the report's first screen groups them: one per rule with an unwaived finding of
// severity low or above, so a re-scan after fixes reads "3 actions done, 1 new".
std::map<std::string, std::string> actions_of(const nlohmann::json& report) {
  std::map<std::string, std::string> out;  // rule id -> severity
  for (const auto& f : arr_at(report, "findings")) {
    if (f.value("waived", false) || severity_rank(str_at(f, "severity")) < 1) continue;
    auto& sev = out[str_at(f, "rule_id")];
    if (severity_rank(str_at(f, "severity")) > severity_rank(sev)) sev = str_at(f, "severity");
  }
  return out;
}

nlohmann::json action_changes(const nlohmann::json& old_report, const nlohmann::json& new_report) {
  const auto before = actions_of(old_report), after = actions_of(new_report);
  nlohmann::json done = nlohmann::json::array(), added = nlohmann::json::array();
  int open = 0;
  for (const auto& [rule, sev] : before) {
    if (after.count(rule))
      ++open;
    else
      done.push_back({{"rule_id", rule}, {"severity", sev}});
  }
  for (const auto& [rule, sev] : after)
    if (!before.count(rule)) added.push_back({{"rule_id", rule}, {"severity", sev}});
  return {{"done", done}, {"new", added}, {"open", open}};
}

}  // namespace

nlohmann::json diff_reports(const nlohmann::json& old_report, const nlohmann::json& new_report) {
  const auto old_ids = by_id(old_report);
  const auto new_ids = by_id(new_report);
  nlohmann::json fixed = nlohmann::json::array(), added = nlohmann::json::array();
  nlohmann::json sev_changed = nlohmann::json::array(), waiver_changed = nlohmann::json::array();
  int unchanged = 0;
  for (const auto& [id, f] : old_ids) {
    if (!new_ids.count(id)) fixed.push_back(*f);
  }
  for (const auto& [id, f] : new_ids) {
    auto it = old_ids.find(id);
    if (it == old_ids.end()) {
      added.push_back(*f);
      continue;
    }
    const std::string os = str_at(*it->second, "severity"), ns = str_at(*f, "severity");
    const bool ow = it->second->value("waived", false), nw = f->value("waived", false);
    if (os != ns) {
      sev_changed.push_back(
          {{"finding", *f},
           {"old_severity", os},
           {"new_severity", ns},
           {"direction", severity_rank(ns) > severity_rank(os) ? "worse" : "better"}});
    }
    if (ow != nw)
      waiver_changed.push_back({{"finding", *f}, {"old_waived", ow}, {"new_waived", nw}});
    if (os == ns && ow == nw) ++unchanged;
  }
  sort_entries(fixed, false);
  sort_entries(added, false);
  sort_entries(sev_changed, true);
  sort_entries(waiver_changed, true);

  // A verdict word is checked against report::Verdict: an unknown one is an error naming it.
  std::map<std::string, std::pair<std::string, std::string>> verdicts;
  const auto word = [](const nlohmann::json& v, const char* which) {
    const std::string arch = str_at(v, "arch"), w = str_at(v, "verdict");
    return std::string(report::to_string(
        report::verdict_or_throw(w, std::string(which) + " report, verdict of " + arch)));
  };
  for (const auto& v : arr_at(old_report, "verdicts"))
    verdicts[str_at(v, "arch")].first = word(v, "old");
  for (const auto& v : arr_at(new_report, "verdicts"))
    verdicts[str_at(v, "arch")].second = word(v, "new");
  nlohmann::json vlist = nlohmann::json::array();
  for (const auto& [arch, ov] : verdicts) {
    vlist.push_back({{"arch", arch},
                     {"old", ov.first},
                     {"new", ov.second},
                     {"changed", ov.first != ov.second}});
  }
  const auto actions = action_changes(old_report, new_report);
  return {{"schema_version", kDiffSchemaVersion},
          {"kind", "premigrate-diff"},
          {"old_run", run_summary(old_report)},
          {"new_run", run_summary(new_report)},
          {"verdicts", vlist},
          {"summary",
           {{"fixed", fixed.size()},
            {"new", added.size()},
            {"severity_changed", sev_changed.size()},
            {"waiver_changed", waiver_changed.size()},
            {"unchanged", unchanged},
            {"actions_done", actions["done"].size()},
            {"actions_new", actions["new"].size()},
            {"actions_open", actions["open"]}}},
          {"actions", actions},
          {"fixed", fixed},
          {"new", added},
          {"severity_changed", sev_changed},
          {"waiver_changed", waiver_changed}};
}

std::string diff_text(const nlohmann::json& d) {
  std::ostringstream o;
  const auto& s = obj_at(d, "summary");
  o << "premigrate diff — " << core::terminal_safe(str_at(obj_at(d, "old_run"), "generated_at"))
    << " -> " << core::terminal_safe(str_at(obj_at(d, "new_run"), "generated_at")) << "\n";
  for (const auto& v : arr_at(d, "verdicts")) {
    o << "  " << core::terminal_safe(str_at(v, "arch")) << ": "
      << core::terminal_safe(str_at(v, "old").empty() ? "-" : str_at(v, "old"));
    if (v.value("changed", false))
      o << " -> " << core::terminal_safe(str_at(v, "new").empty() ? "-" : str_at(v, "new"));
    else
      o << " (unchanged)";
    o << "\n";
  }
  o << "  " << s.value("actions_done", 0) << " actions done, " << s.value("actions_new", 0)
    << " new, " << s.value("actions_open", 0) << " still open\n";
  for (const char* key : {"done", "new"}) {
    for (const auto& a : arr_at(obj_at(d, "actions"), key))
      o << "    " << key << ": [" << str_at(a, "severity") << "] "
        << core::terminal_safe(str_at(a, "rule_id")) << "\n";
  }
  o << "  findings: fixed " << s.value("fixed", 0) << ", new " << s.value("new", 0)
    << ", severity changed " << s.value("severity_changed", 0) << ", waiver changed "
    << s.value("waiver_changed", 0) << ", unchanged " << s.value("unchanged", 0) << "\n";
  auto list = [&](const char* title, const char* key, bool nested) {
    const auto& a = arr_at(d, key);
    if (a.empty()) return;
    o << "\n" << title << ":\n";
    int n = 0;
    for (const auto& e : a) {
      if (++n > 20) {
        o << "  ... and " << (a.size() - 20) << " more (see the JSON or HTML diff)\n";
        break;
      }
      const auto& f = nested ? obj_at(e, "finding") : e;
      o << "  [";
      if (nested && e.contains("old_severity")) {
        o << str_at(e, "old_severity") << " -> " << str_at(e, "new_severity");
      } else {
        o << str_at(f, "severity");
      }
      o << "] " << core::terminal_safe(str_at(f, "subject")) << ": "
        << core::terminal_safe(str_at(f, "message")) << "\n";
    }
  };
  list("New", "new", false);
  list("Fixed", "fixed", false);
  list("Severity changed", "severity_changed", true);
  list("Waiver changed", "waiver_changed", true);
  return o.str();
}

}  // namespace premigrate::compare
