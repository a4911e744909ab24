// `premigrate scan` end to end for the report formats: every format written and valid, the
// --lang option, golden JSON for a fixture root, and the error report of a failed run.
#include <catch2/catch.hpp>
#include <vector>

#include "support/process.hpp"
#include "support/skip.hpp"
#include "unit/render/validators.hpp"

namespace fs = std::filesystem;
using premigrate::testing::quote;
using premigrate::testing::slurp;

namespace {

premigrate::testing::Run scan(const std::string& args, const fs::path& scratch) {
  return premigrate::testing::run_shell(
      "SOURCE_DATE_EPOCH=1700000000 " + quote(PREMIGRATE_BIN) + " scan " + args, scratch);
}

fs::path fixture(const std::string& name) {
  return fs::path(PREMIGRATE_FIXTURE_DIR) / "rpm" / name;
}

}  // namespace

TEST_CASE("scan writes all five formats, each valid, and the JSON matches its golden file",
          "[golden]") {
  const auto dir = premigrate::testing::scratch_dir("scan-all");
  const auto root = fixture("sqlite-root");
  auto r =
      scan("--no-files --root " + quote(root.string()) +
               " --format json,html,text,junit,sarif --lang zh -o " + quote((dir / "o").string()),
           dir);
  INFO(r.err);
  REQUIRE(r.status == 3);  // findings present (the fixture root has no release file, for one)
  for (const char* f : {"premigrate-report.json", "premigrate-report.html", "premigrate-report.txt",
                        "premigrate-report.junit.xml", "premigrate-report.sarif"}) {
    INFO(f);
    CHECK(fs::exists(dir / "o" / f));
    CHECK(r.out.find((dir / "o" / f).string()) != std::string::npos);
  }
  const std::string json = slurp(dir / "o" / "premigrate-report.json");
  auto v = premigrate::testing::validate_json("report.schema.json", json);
  if (v.available) {
    INFO(v.message);
    CHECK(v.ok);
  } else {
    premigrate::test::skip("schema validation: " + v.message);  // the checks below still count
  }
  auto s = premigrate::testing::validate_json("sarif-2.1.0-subset.schema.json",
                                              slurp(dir / "o" / "premigrate-report.sarif"));
  if (s.available) CHECK(s.ok);
  auto x = premigrate::testing::validate_xml("junit.xsd",
                                             slurp(dir / "o" / "premigrate-report.junit.xml"));
  if (x.available) CHECK(x.ok);
  CHECK(slurp(dir / "o" / "premigrate-report.html").find("迁移就绪评估报告") != std::string::npos);
  const auto parsed = nlohmann::json::parse(json);
  const auto norm = premigrate::testing::normalise_report(parsed, root.string());
  CHECK(premigrate::testing::compare_golden("report/sqlite-root.json", norm.dump(2) + "\n") == "");
  // The HTML of the same scan, with the fixture path and tool version normalised.
  std::string html = slurp(dir / "o" / "premigrate-report.html");
  std::vector<std::pair<std::string, std::string>> volatile_parts = {
      {root.string(), "<ROOT>"},
      {"premigrate " + parsed["tool"]["version"].get<std::string>(), "premigrate <VERSION>"}};
  int key_n = 0;
  for (const auto& [key, count] : parsed["inventory_summary"]["packages_by_signing_key"].items()) {
    volatile_parts.emplace_back(key, "&lt;KEY-" + std::to_string(++key_n) + "&gt;");
  }
  for (const auto& [from, to] : volatile_parts) {
    for (auto i = html.find(from); i != std::string::npos; i = html.find(from, i + to.size()))
      html.replace(i, from.size(), to);
  }
  CHECK(premigrate::testing::compare_golden("report/sqlite-root.zh.html", html) == "");
}

TEST_CASE("scan --lang and --format reject unknown values with a usage error") {
  const auto dir = premigrate::testing::scratch_dir("scan-usage");
  const std::string root = quote(fixture("sqlite-root").string());
  auto lang =
      scan("--no-files --root " + root + " --lang fr -o " + quote((dir / "o").string()), dir);
  CHECK(lang.status == 2);
  CHECK(lang.err.find("fr") != std::string::npos);
  auto fmt =
      scan("--no-files --root " + root + " --format pdf -o " + quote((dir / "o").string()), dir);
  CHECK(fmt.status == 2);
  CHECK_FALSE(fs::exists(dir / "o"));
}

TEST_CASE("a scan that fails once the output directory is known writes the error into the report") {
  const auto dir = premigrate::testing::scratch_dir("scan-error");
  auto r = scan("--root /nonexistent/premigrate-root --format json,html,junit,sarif -o " +
                    quote((dir / "o").string()),
                dir);
  CHECK(r.status == 1);
  CHECK(r.err.find("/nonexistent/premigrate-root") != std::string::npos);
  const auto j = nlohmann::json::parse(slurp(dir / "o" / "premigrate-report.json"));
  REQUIRE(j.contains("error"));
  CHECK(j["error"]["message"].get<std::string>().find("/nonexistent/premigrate-root") !=
        std::string::npos);
  CHECK_FALSE(j.contains("findings"));  // an error is never dressed up as an empty result
  auto v = premigrate::testing::validate_json("report.schema.json", j.dump());
  if (v.available) {
    INFO(v.message);
    CHECK(v.ok);
  }
  CHECK(slurp(dir / "o" / "premigrate-report.html").find("id=\"run-error\"") != std::string::npos);
  const auto sarif = nlohmann::json::parse(slurp(dir / "o" / "premigrate-report.sarif"));
  CHECK(sarif["runs"][0]["invocations"][0]["executionSuccessful"] == false);
}
