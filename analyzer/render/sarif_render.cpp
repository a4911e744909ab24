// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) for code-scanning tools.
// Levels: blocker/high -> error, medium -> warning, low/info -> note (spec §3.27.10).
#include <cctype>
#include <map>
#include <string_view>

#include "render/first_screen.hpp"
#include "render/html_view.hpp"
#include "render/render.hpp"
#include "report/severity.hpp"

namespace premigrate::render {

namespace {

// A path as an RFC 3986 URI path: unreserved characters and '/' stay, every other byte
// (spaces, '%', '#', '?', non-ASCII, controls) becomes %XX, so host file names cannot break
// the URI or smuggle in a query or fragment.
std::string uri_path(std::string_view path) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string level_for(const std::string& sev) {
  const auto s = report::parse_severity(sev);
  if (s && *s >= report::Severity::kHigh) return "error";
  if (s == report::Severity::kMedium) return "warning";
  return "note";
}

}  // namespace

nlohmann::json render_sarif(const nlohmann::json& report_in) {
  nlohmann::json storage;
  const nlohmann::json& report = sanitized(report_in, storage);
  std::map<std::string, nlohmann::json> rules;  // sorted: stable ruleIndex values
  for (const auto& f : arr_of(report, "findings")) {
    const std::string id = str_of(f, "rule_id");
    if (rules.count(id)) continue;
    nlohmann::json r = {{"id", id},
                        {"shortDescription", {{"text", str_of(f, "message")}}},
                        {"defaultConfiguration", {{"level", level_for(str_of(f, "severity"))}}},
                        {"properties", {{"category", str_of(f, "category")}}}};
    if (!str_of(f, "remediation").empty()) r["help"] = {{"text", str_of(f, "remediation")}};
    rules[id] = r;
  }
  std::map<std::string, int> index;
  nlohmann::json rule_list = nlohmann::json::array();
  for (const auto& [id, r] : rules) {
    index[id] = static_cast<int>(rule_list.size());
    rule_list.push_back(r);
  }
  nlohmann::json results = nlohmann::json::array();
  for (const auto& f : arr_of(report, "findings")) {
    const std::string sev = str_of(f, "severity");
    const std::string subject = str_of(f, "subject");
    nlohmann::json res = {
        {"ruleId", str_of(f, "rule_id")},
        {"ruleIndex", index[str_of(f, "rule_id")]},
        {"level", level_for(sev)},
        {"message", {{"text", str_of(f, "message")}}},
        {"partialFingerprints", {{"premigrateFindingId/v1", str_of(f, "id")}}},
        {"properties",
         {{"severity", sev},
          {"category", str_of(f, "category")},
          {"archs", arr_of(f, "archs")},
          {"certainty", str_of(f, "certainty").empty() ? "observed" : str_of(f, "certainty")},
          {"evidence", arr_of(f, "evidence")}}}};
    // Paths inside the scanned root are artifacts relative to it; other subjects (packages,
    // modules) are logical locations.
    if (!subject.empty() && subject[0] == '/') {
      res["locations"] = {
          {{"physicalLocation",
            {{"artifactLocation",
              {{"uri", uri_path(subject.substr(1))}, {"uriBaseId", "SCANROOT"}}}}}}};
    } else if (!subject.empty()) {
      res["locations"] = {{{"logicalLocations", {{{"fullyQualifiedName", subject}}}}}};
    }
    if (f.value("waived", false)) {
      res["suppressions"] = {{{"kind", "external"}, {"justification", str_of(f, "waiver_reason")}}};
    }
    results.push_back(res);
  }
  nlohmann::json notes = nlohmann::json::array();
  for (const auto& vd : arr_of(report, "verdicts")) {
    for (const auto& n : arr_of(vd, "checks_not_run")) {
      notes.push_back({{"level", "warning"},
                       {"message",
                        {{"text", "check " + str_of(n, "check") + " did not run on " +
                                      str_of(vd, "arch") + ": " + str_of(n, "reason")}}},
                       {"descriptor", {{"id", "not-run/" + str_of(n, "check")}}}});
    }
  }
  const bool run_error = report.contains("error") && !report["error"].is_null();
  nlohmann::json invocation = {{"executionSuccessful", !run_error},
                               {"toolExecutionNotifications", notes}};
  if (run_error) {
    const auto& e = report["error"];
    invocation["toolExecutionNotifications"].push_back(
        {{"level", "error"},
         {"message", {{"text", e.is_object() ? str_of(e, "message") : e.dump()}}}});
  }
  if (!str_of(report, "generated_at").empty())
    invocation["endTimeUtc"] = str_of(report, "generated_at");
  std::string root = report.contains("host") ? str_of(report["host"], "root") : "";
  if (root.empty() || root.back() != '/') root += "/";
  nlohmann::json run = {
      {"tool",
       {{"driver",
         {{"name", "premigrate"},
          {"version", report.contains("tool") ? str_of(report["tool"], "version") : ""},
          {"rules", rule_list}}}}},
      {"originalUriBaseIds", {{"SCANROOT", {{"uri", "file://" + uri_path(root)}}}}},
      {"invocations", {invocation}},
      {"results", results},
      // The first screen (verdicts host-first, top actions, coverage) as the run's summary;
      // results are in the report's order, most severe first.
      {"properties",
       {{"target", str_of(report, "target")},
        {"verdicts", arr_of(report, "verdicts")},
        {"summary", first_screen(report)}}}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", {run}}};
}

}  // namespace premigrate::render
