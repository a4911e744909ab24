// Machine formats: the report JSON against docs/schema/report.schema.json, JUnit XML against
// docs/schema/junit.xsd, SARIF against the 2.1.0 subset schema; their content follows the
// findings (blockers fail, waived are suppressed, checks not run are skipped).
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "render/render.hpp"
#include "support/skip.hpp"
#include "support/synthetic_report.hpp"
#include "unit/render/validators.hpp"

using premigrate::testing::synthetic_report;
using premigrate::testing::Validation;

namespace {

#define REQUIRE_TOOL(v) \
  if (!(v).available) PREMIGRATE_SKIP((v).message)

std::size_t count_of(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto i = hay.find(needle); i != std::string::npos; i = hay.find(needle, i + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("generated reports validate against the report schema") {
  auto r = synthetic_report(120, 11);
  auto v =
      premigrate::testing::validate_json("report.schema.json", premigrate::render::to_json_text(r));
  REQUIRE_TOOL(v);
  INFO(v.message);
  CHECK(v.ok);
}

TEST_CASE("the report schema rejects what a report must never be") {
  auto base = synthetic_report(5, 2);
  std::vector<nlohmann::json> bad;
  bad.push_back(base);
  bad.back()["findings"][0]["severity"] = "critical";  // not a severity word
  bad.push_back(base);
  bad.back().erase("verdicts");  // a completed scan without verdicts
  bad.push_back(base);
  bad.back()["verdicts"][0]["verdict"] = "probably-fine";
  bad.push_back(base);
  bad.back()["findings"][0]["waived"] = true;  // waived without a reason
  bad.back()["findings"][0]["waiver_reason"] = "";
  bad.push_back(base);
  bad.back()["generated_at"] = "yesterday";
  for (std::size_t i = 0; i < bad.size(); ++i) {
    auto v = premigrate::testing::validate_json("report.schema.json", bad[i].dump());
    REQUIRE_TOOL(v);
    INFO("case " << i);
    CHECK_FALSE(v.ok);
  }
}

TEST_CASE("JUnit: a suite per arch, a case per check, unwaived blockers fail, not-run skip") {
  auto r = synthetic_report(200, 4);
  r["verdicts"][1]["checks_not_run"] = {
      {{"check", "kernel-modules"}, {"arch", "aarch64"}, {"reason", "no kABI <data>"}}};
  r["findings"][0]["subject"] = std::string("/opt/\x01weird<&>\"'");
  const std::string xml = premigrate::render::render_junit(r);
  auto v = premigrate::testing::validate_xml("junit.xsd", xml);
  REQUIRE_TOOL(v);
  INFO(v.message);
  CHECK(v.ok);
  // Expected failures: per arch, rules with at least one unwaived blocker finding there.
  std::size_t expected = 0;
  for (const char* arch : {"x86_64", "aarch64"}) {
    std::set<std::string> rules;
    for (const auto& f : r["findings"]) {
      bool on = false;
      for (const auto& a : f["archs"]) on = on || a == arch;
      if (on && f["severity"] == "blocker" && !f["waived"].get<bool>()) rules.insert(f["rule_id"]);
    }
    expected += rules.size();
  }
  REQUIRE(expected > 0);
  CHECK(count_of(xml, "<failure ") == expected);
  CHECK(xml.find("<testsuite name=\"premigrate.x86_64\"") != std::string::npos);
  CHECK(xml.find("<skipped message=\"no kABI &lt;data&gt;\"/>") != std::string::npos);
  CHECK(xml.find('\x01') == std::string::npos);
}

TEST_CASE("JUnit of a report whose scan failed has an error case and still validates") {
  nlohmann::json err = {{"schema_version", 1},
                        {"tool", {{"name", "premigrate"}, {"version", "1"}}},
                        {"generated_at", "2023-11-14T22:13:20Z"},
                        {"target", ""},
                        {"archs", {"x86_64"}},
                        {"error", {{"message", "root missing"}}}};
  const std::string xml = premigrate::render::render_junit(err);
  auto v = premigrate::testing::validate_xml("junit.xsd", xml);
  REQUIRE_TOOL(v);
  CHECK(v.ok);
  CHECK(xml.find("<error message=\"root missing\"/>") != std::string::npos);
}

TEST_CASE("the JUnit XSD rejects a malformed document") {
  auto v = premigrate::testing::validate_xml("junit.xsd",
                                             "<testsuites tests=\"x\"><testcase/></testsuites>");
  REQUIRE_TOOL(v);
  CHECK_FALSE(v.ok);
}

TEST_CASE("SARIF 2.1.0: valid, a result per finding, rules indexed, waivers suppressed") {
  auto r = synthetic_report(150, 9);
  r["verdicts"][0]["checks_not_run"] = {
      {{"check", "packages"}, {"arch", "x86_64"}, {"reason", "no KB"}}};
  const auto sarif = premigrate::render::render_sarif(r);
  auto v = premigrate::testing::validate_json("sarif-2.1.0-subset.schema.json", sarif.dump());
  REQUIRE_TOOL(v);
  INFO(v.message);
  CHECK(v.ok);
  REQUIRE(sarif["version"] == "2.1.0");
  const auto& run = sarif["runs"][0];
  REQUIRE(run["results"].size() == r["findings"].size());
  std::size_t waived = 0, suppressed = 0;
  for (std::size_t i = 0; i < r["findings"].size(); ++i) {
    const auto& f = r["findings"][i];
    const auto& res = run["results"][i];
    waived += f["waived"].get<bool>() ? 1 : 0;
    suppressed += res.contains("suppressions") ? 1 : 0;
    CHECK(run["tool"]["driver"]["rules"][res["ruleIndex"].get<int>()]["id"] == f["rule_id"]);
    CHECK(res["partialFingerprints"]["premigrateFindingId/v1"] == f["id"]);
    const std::string level = res["level"];
    CHECK(level == (f["severity"] == "blocker" || f["severity"] == "high" ? "error"
                    : f["severity"] == "medium"                           ? "warning"
                                                                          : "note"));
  }
  CHECK(waived > 0);
  CHECK(suppressed == waived);
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
  CHECK(run["invocations"][0]["toolExecutionNotifications"].size() == 1);
}

TEST_CASE("SARIF URIs are percent-encoded: host file names cannot break them") {
  auto r = synthetic_report(1, 0);
  r["host"]["root"] = "/srv/img v1#2";
  r["findings"][0]["subject"] = "/opt/a b/100%?x\xc3\xa9.so";
  const auto sarif = premigrate::render::render_sarif(r);
  const auto& run = sarif["runs"][0];
  CHECK(run["originalUriBaseIds"]["SCANROOT"]["uri"] == "file:///srv/img%20v1%232/");
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "opt/a%20b/100%25%3Fx%C3%A9.so");
}

TEST_CASE("the SARIF subset schema rejects what SARIF 2.1.0 forbids") {
  auto sarif = premigrate::render::render_sarif(synthetic_report(3, 1));
  std::vector<nlohmann::json> bad(4, sarif);
  bad[0]["version"] = "2.0.0";
  bad[1]["runs"][0]["results"][0]["level"] = "fatal";
  bad[2]["runs"][0]["results"][0].erase("message");
  bad[3]["runs"][0]["tool"]["driver"].erase("name");
  for (std::size_t i = 0; i < bad.size(); ++i) {
    auto v = premigrate::testing::validate_json("sarif-2.1.0-subset.schema.json", bad[i].dump());
    REQUIRE_TOOL(v);
    INFO("case " << i);
    CHECK_FALSE(v.ok);
  }
}
