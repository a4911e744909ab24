// JUnit XML for CI dashboards. XML text is escaped here (five entities; characters XML 1.0
// forbids, such as most C0 controls, become U+FFFD) so a hostile subject stays character data.
#include <map>
#include <sstream>

#include "render/first_screen.hpp"
#include "render/html_view.hpp"
#include "render/render.hpp"
#include "report/severity.hpp"

namespace premigrate::render {

namespace {

std::string xml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 Char production: of C0 controls only TAB, LF and CR are allowed.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

struct Case {
  std::string classname;
  std::string name;
  std::vector<const nlohmann::json*> findings;
  std::string skipped;  // reason, when the check did not run
};

}  // namespace

std::string render_junit(const nlohmann::json& report_in) {
  nlohmann::json storage;
  const nlohmann::json& report = sanitized(report_in, storage);
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  std::ostringstream suites;
  int all_tests = 0, all_failures = 0, all_skipped = 0;
  // The first screen's order: the host's own architecture first, then within a suite the
  // rules by severity (most severe first), then the checks that did not run.
  const auto screen = first_screen(report);
  for (const auto& sv : screen["verdicts"]) {
    const std::string arch = sv["arch"].get<std::string>();
    nlohmann::json vd = nlohmann::json::object();
    for (const auto& v : arr_of(report, "verdicts"))
      if (str_of(v, "arch") == arch) vd = v;
    std::map<std::string, Case> cases;  // by severity rank and rule id: deterministic order
    for (const auto& f : arr_of(report, "findings")) {
      bool applies = false;
      for (const auto& a : arr_of(f, "archs")) applies = applies || (a.is_string() && a == arch);
      if (!applies) continue;
      const std::string rule = str_of(f, "rule_id");
      auto& c = cases["1:" + std::to_string(9 - severity_rank(str_of(f, "severity"))) + rule];
      c.classname = "premigrate." + arch + "." + str_of(f, "category");
      c.name = rule;
      c.findings.push_back(&f);
    }
    for (const auto& n : arr_of(vd, "checks_not_run")) {
      auto& c = cases["2:" + str_of(n, "check")];
      c.classname = "premigrate." + arch + ".not-run";
      c.name = str_of(n, "check");
      c.skipped = str_of(n, "reason");
    }
    int failures = 0, skipped = 0;
    std::ostringstream body;
    for (const auto& [key, c] : cases) {
      body << "    <testcase classname=\"" << xml(c.classname) << "\" name=\"" << xml(c.name)
           << "\">\n";
      if (!c.skipped.empty() || c.findings.empty()) {
        ++skipped;
        body << "      <skipped message=\"" << xml(c.skipped) << "\"/>\n";
      }
      std::string blockers, others;
      for (const auto* f : c.findings) {
        const std::string cert =
            str_of(*f, "certainty").empty() ? "observed" : str_of(*f, "certainty");
        std::string line = "[" + str_of(*f, "severity") + ", " + cert + "] " +
                           str_of(*f, "subject") + ": " + str_of(*f, "message");
        if (f->value("waived", false)) line += " (waived: " + str_of(*f, "waiver_reason") + ")";
        line += "\n";
        const bool fails =
            report::parse_severity(str_of(*f, "severity")) == report::Severity::kBlocker &&
            !f->value("waived", false);
        (fails ? blockers : others) += line;
      }
      if (!blockers.empty()) {
        ++failures;
        body << "      <failure type=\"blocker\" message=\"" << xml(c.name)
             << " blocks migration on " << xml(arch) << "\">" << xml(blockers) << "</failure>\n";
      }
      if (!others.empty()) body << "      <system-out>" << xml(others) << "</system-out>\n";
      body << "    </testcase>\n";
    }
    suites << "  <testsuite name=\"premigrate." << xml(arch) << "\" tests=\"" << cases.size()
           << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"" << skipped
           << "\" timestamp=\"" << xml(str_of(report, "generated_at")) << "\">\n"
           << "    <properties>\n      <property name=\"verdict\" value=\""
           << xml(str_of(vd, "verdict")) << "\"/>\n      <property name=\"score\" value=\""
           << (sv["score"].get<int>() < 0       ? ""
               : sv["score_bound"] == "at_most" ? "at most "
                                                : "")
           << (sv["score"].get<int>() < 0 ? std::string("unknown")
                                          : std::to_string(sv["score"].get<int>()))
           << "\"/>\n      <property name=\"cross_arch\" value=\""
           << (sv["cross_arch"].get<bool>() ? "yes" : "no")
           << "\"/>\n      <property name=\"target\" value=\"" << xml(str_of(report, "target"))
           << "\"/>\n    </properties>\n"
           << body.str() << "  </testsuite>\n";
    all_tests += static_cast<int>(cases.size());
    all_failures += failures;
    all_skipped += skipped;
  }
  const bool run_error = report.contains("error") && !report["error"].is_null();
  o << "<testsuites name=\"premigrate\" tests=\"" << all_tests << "\" failures=\"" << all_failures
    << "\" errors=\"" << (run_error ? 1 : 0) << "\" skipped=\"" << all_skipped << "\">\n"
    << suites.str();
  if (run_error) {
    const auto& e = report["error"];
    const std::string msg = e.is_object() ? str_of(e, "message") : e.dump();
    o << "  <testsuite name=\"premigrate.run\" tests=\"1\" failures=\"0\" errors=\"1\" "
         "skipped=\"0\">\n    <testcase classname=\"premigrate.run\" name=\"scan\">\n"
         "      <error message=\""
      << xml(msg) << "\"/>\n    </testcase>\n  </testsuite>\n";
  }
  o << "</testsuites>\n";
  return o.str();
}

}  // namespace premigrate::render
