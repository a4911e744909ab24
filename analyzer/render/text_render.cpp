// The terminal summary: verdict per architecture, top actions, coverage (first_screen.hpp), the
// checks not run and the diagnostics count.
#include <map>
#include <optional>
#include <sstream>

#include "core/text.hpp"
#include "render/first_screen.hpp"
#include "render/html_view.hpp"
#include "render/render.hpp"
#include "report/severity.hpp"
#include "report/verdict.hpp"

namespace premigrate::render {

namespace {

// ANSI colour of a verdict: green ready, yellow after actions, bold red blocked, magenta for
// incomplete (and for a word this table does not know).
const char* verdict_colour(std::optional<report::Verdict> v) {
  if (!v) return "35";
  switch (*v) {
    case report::Verdict::kReady:
      return "32";
    case report::Verdict::kReadyAfterActions:
      return "33";
    case report::Verdict::kBlocked:
      return "31;1";
    case report::Verdict::kIncomplete:
      return "35";
  }
  return "35";
}

std::string str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

}  // namespace

std::string render_text(const nlohmann::json& report_in, bool color) {
  nlohmann::json storage;
  const nlohmann::json& report = sanitized(report_in, storage);
  auto paint = [color](const std::string& s, const char* code) {
    return color ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  };
  std::ostringstream o;
  const auto obj = nlohmann::json::object();
  const auto host = report.is_object() ? report.value("host", obj) : obj;
  const auto facts = host.is_object() ? host.value("facts", obj) : obj;
  o << "premigrate " << str(report.is_object() ? report.value("tool", obj) : obj, "version")
    << " — readiness report\n";
  if (report.contains("error") && report["error"].is_object()) {
    o << "  " << paint("scan did not complete: ", "31;1")
      << core::terminal_safe(str(report["error"], "message")) << "\n";
  }
  o << "  root:    " << core::terminal_safe(str(host, "root")) << "\n";
  if (const auto image = host.is_object() ? host.value("image", obj) : obj;
      !str(image, "root_device").empty()) {
    o << "  image:   " << core::terminal_safe(str(image, "format")) << " disk, "
      << core::terminal_safe(str(image, "name").empty() ? "(unnamed OS)" : str(image, "name"))
      << " (" << core::terminal_safe(str(image, "distro")) << " "
      << core::terminal_safe(str(image, "os_version")) << ", "
      << core::terminal_safe(str(image, "architecture")) << "), root "
      << core::terminal_safe(str(image, "root_device")) << "\n";
  } else if (!image.empty()) {
    o << "  image:   " << core::terminal_safe(str(image, "format")) << " "
      << core::terminal_safe(str(image, "name").empty() ? "(unnamed)" : str(image, "name"))
      << ", config " << core::terminal_safe(str(image, "config_digest")) << ", "
      << arr_of(image, "layers").size() << " layers\n";
  }
  std::string src = str(facts, "source_release");
  o << "  source:  " << core::terminal_safe(src.empty() ? "unknown" : src) << "\n";
  std::string target = str(report, "target");
  if (!target.empty() && !str(report, "target_name").empty())
    target = str(report, "target_name") + " (" + target + ")";
  o << "  target:  " << core::terminal_safe(target.empty() ? "(no knowledge base loaded)" : target)
    << "\n";
  const auto rpmdb = host.is_object() ? host.value("rpmdb", obj) : obj;
  const auto summary = report.is_object() ? report.value("inventory_summary", obj) : obj;
  o << "  rpmdb:   " << core::terminal_safe(str(rpmdb, "status")) << " "
    << core::terminal_safe(str(rpmdb, "backend")) << " " << core::terminal_safe(str(rpmdb, "path"))
    << ", " << (summary.is_object() ? summary.value("packages", 0) : 0) << " packages\n";
  if (const auto keys = arr_of(report, "trusted_keys_added"); !keys.empty()) {
    o << "  trusted: ";
    for (std::size_t i = 0; i < keys.size(); ++i)
      o << (i ? ", " : "")
        << core::terminal_safe(keys[i].is_string() ? keys[i].get<std::string>() : "");
    o << " (--trust-key: signatures also counted as the source distribution's)\n";
  }
  o << "\n";
  // The same order as the HTML's first screen: verdicts, top actions, coverage.
  const auto screen = first_screen(report, 10);
  for (const auto& v : screen["verdicts"]) {
    const std::string verdict = v["verdict"].get<std::string>();
    const char* code = verdict_colour(report::parse_verdict(verdict));
    o << "  " << core::terminal_safe(v["arch"].get<std::string>()) << ": " << paint(verdict, code);
    if (v["score"].get<int>() >= 0)
      o << "  score " << (v["score_bound"] == "at_most" ? "at most " : "") << v["score"].get<int>();
    if (v["cross_arch"].get<bool>()) o << "  (cross-architecture migration)";
    const auto& counts = v["counts"];
    const auto& severities = report::all_severities();
    for (auto s = severities.rbegin(); s != severities.rend(); ++s) {  // blocker first
      const std::string sev(report::to_string(*s));
      int n = counts.is_object() ? counts.value(sev, 0) : 0;
      if (n) o << "  " << sev << "=" << n;
    }
    o << "\n";
  }
  if (!screen["actions"].empty()) o << "\nTop actions:\n";
  for (const auto& a : screen["actions"]) {
    o << "  [" << a["severity"].get<std::string>() << "] " << a["rule_id"].get<std::string>()
      << " (" << core::terminal_safe(a["archs"].get<std::string>()) << ", "
      << a["subjects"].get<int>() << (a["subjects"].get<int>() == 1 ? " subject" : " subjects")
      << ", " << a["certainty"].get<std::string>()
      << "): " << core::terminal_safe(a["message"].get<std::string>());
    if (a["more"].get<bool>()) o << " (+" << a["others"].get<int>() << " more)";
    o << "\n      do: " << core::terminal_safe(a["remediation"].get<std::string>()) << "\n";
  }
  if (screen["actions_total"].get<std::size_t>() > screen["actions"].size())
    o << "  ... " << screen["actions_total"].get<std::size_t>() - screen["actions"].size()
      << " more in the JSON or HTML report\n";
  const auto& cov = screen["coverage"];
  o << "\nCoverage: ";
  if (cov["complete"].get<bool>()) {
    o << "every check ran and every package was placed\n";
  } else {
    std::string line;
    for (const auto& u : cov["undecided"])
      line += (line.empty() ? "" : "; ") + std::to_string(u["n"].get<int>()) +
              " packages the KB cannot place on " + u["arch"].get<std::string>();
    if (!cov["not_run"].empty())
      line +=
          (line.empty() ? "" : "; ") + std::to_string(cov["not_run"].size()) + " checks not run";
    if (cov["unknown_findings"].get<std::size_t>() > 0)
      line += (line.empty() ? "" : "; ") +
              std::to_string(cov["unknown_findings"].get<std::size_t>()) +
              " findings rest on missing data";
    o << core::terminal_safe(line) << "\n";
  }
  // Checks not run are grouped: one line per (reason, architectures), listing the checks.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> not_run;
  std::map<std::string, std::vector<std::string>> archs_of;  // "check\treason" -> archs
  std::vector<std::string> arch_names;
  for (const auto& v : arr_of(report, "verdicts")) {
    arch_names.push_back(str(v, "arch"));
    for (const auto& c : arr_of(v, "checks_not_run")) {
      archs_of[str(c, "check") + "\t" + str(c, "reason")].push_back(str(v, "arch"));
    }
  }
  for (const auto& [key, archs] : archs_of) {
    const auto tab = key.find('\t');
    std::string where;
    if (archs.size() != arch_names.size()) {
      for (const auto& a : archs) where += (where.empty() ? "" : ",") + a;
    }
    not_run[{key.substr(tab + 1), where}].push_back(key.substr(0, tab));
  }
  if (!not_run.empty()) o << "\nNot checked (the verdict cannot be ready until they run):\n";
  for (const auto& [reason_where, checks] : not_run) {
    std::string list;
    for (const auto& c : checks) list += (list.empty() ? "" : ", ") + c;
    o << "  " << core::terminal_safe(list);
    if (!reason_where.second.empty()) o << " [" << reason_where.second << "]";
    o << " — " << core::terminal_safe(reason_where.first) << "\n";
  }
  const auto n_diag = arr_of(report, "diagnostics").size();
  if (n_diag) o << "\n" << n_diag << " diagnostic(s): see the JSON or HTML report\n";
  return o.str();
}

}  // namespace premigrate::render
