// `premigrate diff`: findings matched by id, fixed/new/severity/waiver changes, verdict
// changes, the three formats, and errors for unreadable input.
#include "compare/diff.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "core/errors.hpp"
#include "render/render.hpp"
#include "support/process.hpp"
#include "support/synthetic_report.hpp"

namespace fs = std::filesystem;
using premigrate::compare::diff_reports;
using premigrate::testing::quote;
using premigrate::testing::synthetic_report;

namespace {

fs::path scratch(const std::string& name) {
  fs::path p = fs::path(PREMIGRATE_SCRATCH_DIR) / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

}  // namespace

TEST_CASE("diff matches findings by id and reports what was fixed, new and changed") {
  // Old: f-0..f-99. New: f-20..f-119, with f-30 escalated, f-31 eased, f-40 newly waived.
  auto old_r = synthetic_report(100, 1, "h", 40, 0);
  auto new_r = synthetic_report(100, 1, "h", 40, 20);
  // Same ids must describe the same finding: copy the overlapping ones from the old report.
  for (int i = 20; i < 100; ++i) new_r["findings"][i - 20] = old_r["findings"][i];
  auto& f30 = new_r["findings"][10];
  auto& f31 = new_r["findings"][11];
  auto& f40 = new_r["findings"][20];
  f30["severity"] = "blocker";
  old_r["findings"][30]["severity"] = "low";
  f31["severity"] = "info";
  old_r["findings"][31]["severity"] = "high";
  old_r["findings"][40]["waived"] = false;
  f40["waived"] = true;
  f40["waiver_reason"] = "accepted";
  new_r["verdicts"][0]["verdict"] = "ready_after_actions";
  old_r["verdicts"][0]["verdict"] = "blocked";

  const auto d = diff_reports(old_r, new_r);
  CHECK(d["summary"]["fixed"] == 20);
  CHECK(d["summary"]["new"] == 20);
  CHECK(d["summary"]["severity_changed"] == 2);
  CHECK(d["summary"]["waiver_changed"] == 1);
  CHECK(d["summary"]["unchanged"] == 77);
  std::set<std::string> fixed, added;
  for (const auto& f : d["fixed"]) fixed.insert(f["id"]);
  for (const auto& f : d["new"]) added.insert(f["id"]);
  CHECK(fixed.count("f-0"));
  CHECK(fixed.count("f-19"));
  CHECK_FALSE(fixed.count("f-20"));
  CHECK(added.count("f-100"));
  CHECK(added.count("f-119"));
  for (const auto& e : d["severity_changed"]) {
    if (e["finding"]["id"] == "f-30") {
      CHECK(e["old_severity"] == "low");
      CHECK(e["direction"] == "worse");
    } else {
      CHECK(e["finding"]["id"] == "f-31");
      CHECK(e["direction"] == "better");
    }
  }
  CHECK(d["waiver_changed"][0]["finding"]["id"] == "f-40");
  CHECK(d["waiver_changed"][0]["new_waived"] == true);
  // Highest severity first in every list.
  auto rank = [](const nlohmann::json& f) {
    const std::string s = f["severity"];
    return s == "blocker" ? 4 : s == "high" ? 3 : s == "medium" ? 2 : s == "low" ? 1 : 0;
  };
  for (const char* list : {"new", "fixed"}) {
    for (std::size_t i = 1; i < d[list].size(); ++i)
      CHECK(rank(d[list][i - 1]) >= rank(d[list][i]));
  }
  bool x86_changed = false;
  for (const auto& v : d["verdicts"]) {
    if (v["arch"] == "x86_64") {
      x86_changed = v["changed"];
      CHECK(v["old"] == "blocked");
      CHECK(v["new"] == "ready_after_actions");
    }
  }
  CHECK(x86_changed);
  // Identical reports: nothing moves.
  const auto same = diff_reports(old_r, old_r);
  CHECK(same["summary"]["fixed"] == 0);
  CHECK(same["summary"]["new"] == 0);
  CHECK(same["summary"]["unchanged"] == 100);
}

TEST_CASE("diff CLI writes text, JSON and HTML; output is deterministic and escaped") {
  const auto dir = scratch("diff-cli");
  auto old_r = synthetic_report(30, 3, "h");
  auto new_r = synthetic_report(30, 3, "h", 40, 10);
  new_r["findings"][29]["subject"] = "/opt/<script>alert(1)</script>";
  premigrate::testing::spit(dir / "old.json", old_r.dump());
  premigrate::testing::spit(dir / "new.json", new_r.dump());
  const std::string base = quote(PREMIGRATE_BIN) + " diff " + quote((dir / "old.json").string()) +
                           " " + quote((dir / "new.json").string());
  auto text = premigrate::testing::run_shell(base, dir);
  REQUIRE(text.status == 0);
  CHECK(text.out.find("fixed 10, new 10") != std::string::npos);
  auto files = premigrate::testing::run_shell(
      base + " --format text,json,html --lang zh -o " + quote((dir / "o").string()), dir);
  INFO(files.err);
  REQUIRE(files.status == 0);
  const auto j =
      nlohmann::json::parse(premigrate::testing::slurp(dir / "o" / "premigrate-diff.json"));
  CHECK(j["kind"] == "premigrate-diff");
  CHECK(j["summary"]["new"] == 10);
  const std::string html = premigrate::testing::slurp(dir / "o" / "premigrate-diff.html");
  CHECK(html.find("就绪评估报告对比") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)") != std::string::npos);
  auto again = premigrate::testing::run_shell(
      base + " --format json -o " + quote((dir / "o2").string()), dir);
  CHECK(premigrate::testing::slurp(dir / "o2" / "premigrate-diff.json") ==
        premigrate::testing::slurp(dir / "o" / "premigrate-diff.json"));
}

TEST_CASE("diff rejects a missing or foreign input with a one-line error") {
  const auto dir = scratch("diff-bad");
  premigrate::testing::spit(dir / "a.json", synthetic_report(1, 1).dump());
  premigrate::testing::spit(dir / "not-report.json", R"({"hello": "world"})");
  premigrate::testing::spit(dir / "broken.json", "{");
  const std::string bin = quote(PREMIGRATE_BIN) + " diff " + quote((dir / "a.json").string()) + " ";
  for (const char* other : {"not-report.json", "broken.json", "missing.json"}) {
    INFO(other);
    auto r = premigrate::testing::run_shell(bin + quote((dir / other).string()), dir);
    CHECK(r.status == 1);
    CHECK(r.err.find(other) != std::string::npos);
  }
  CHECK(premigrate::testing::run_shell(bin, dir).status == 2);
  CHECK(
      premigrate::testing::run_shell(bin + quote((dir / "a.json").string()) + " --format html", dir)
          .status == 2);
}

TEST_CASE("diff counts actions as the first screen groups them: done, new, still open") {
  auto finding = [](const std::string& id, const std::string& rule, const std::string& sev) {
    return nlohmann::json{{"id", id},
                          {"rule_id", rule},
                          {"category", "c"},
                          {"severity", sev},
                          {"archs", {"x86_64"}},
                          {"subject", id},
                          {"message", "m"},
                          {"evidence", nlohmann::json::array()},
                          {"remediation", "r"},
                          {"references", nlohmann::json::array()},
                          {"waived", false},
                          {"waiver_reason", ""}};
  };
  auto old_r = synthetic_report(1, 1);
  auto new_r = synthetic_report(1, 1);
  // Old: rules A (two findings), B, C and an info rule I. New: A (one finding left), D.
  old_r["findings"] = {finding("a1", "A", "high"), finding("a2", "A", "high"),
                       finding("b", "B", "blocker"), finding("c", "C", "low"),
                       finding("i", "I", "info")};
  new_r["findings"] = {finding("a1", "A", "high"), finding("d", "D", "medium"),
                       finding("i", "I", "info")};
  auto waived = finding("e", "E", "blocker");
  waived["waived"] = true;
  waived["waiver_reason"] = "accepted";
  new_r["findings"].push_back(waived);  // a waived finding is no action to take
  const auto d = diff_reports(old_r, new_r);
  CHECK(d["summary"]["actions_done"] == 2);
  CHECK(d["summary"]["actions_new"] == 1);
  CHECK(d["summary"]["actions_open"] == 1);
  CHECK(d["actions"]["done"][0]["rule_id"] == "B");
  CHECK(d["actions"]["done"][1]["rule_id"] == "C");
  CHECK(d["actions"]["new"][0]["rule_id"] == "D");
  CHECK(d["summary"]["fixed"] == 3);  // findings a2, b, c
  const auto text = premigrate::compare::diff_text(d);
  CHECK_THAT(text, Catch::Contains("2 actions done, 1 new, 1 still open"));
}

TEST_CASE("diff refuses a verdict word no report uses, naming it and the words it knows") {
  const auto old_r = synthetic_report(3, 1, "h");
  auto new_r = old_r;
  new_r["verdicts"][0]["verdict"] = "mostly_ready";
  CHECK_THROWS_AS(diff_reports(old_r, new_r), premigrate::core::RunError);
  CHECK_THROWS_WITH(diff_reports(old_r, new_r),
                    Catch::Contains("new report, verdict of x86_64") &&
                        Catch::Contains("unknown verdict \"mostly_ready\"") &&
                        Catch::Contains("blocked, incomplete, ready_after_actions, ready"));
  CHECK_THROWS_WITH(diff_reports(new_r, old_r), Catch::Contains("old report, verdict of x86_64"));
  CHECK_NOTHROW(diff_reports(old_r, old_r));
}

TEST_CASE("diff's --format takes its words from the format table") {
  const auto dir = scratch("diff-formats");
  premigrate::testing::spit(dir / "a.json", synthetic_report(1, 1).dump());
  const std::string a = quote((dir / "a.json").string());
  auto r = premigrate::testing::run_shell(
      quote(PREMIGRATE_BIN) + " diff " + a + " " + a + " --format pdf -o " + quote(dir.string()),
      dir);
  CHECK(r.status == 2);
  CHECK(r.err.find("unknown value 'pdf' (expected text, json, html)") != std::string::npos);
  auto help = premigrate::testing::run_shell(quote(PREMIGRATE_BIN) + " diff --help", dir);
  CHECK(help.out.find("formats, comma-separated: text, json, html") != std::string::npos);
  CHECK(help.out.find("[--format text,json,html]") != std::string::npos);
  // Each row writes its own file; the list printed is the files written, in --format order.
  auto ok =
      premigrate::testing::run_shell(quote(PREMIGRATE_BIN) + " diff " + a + " " + a +
                                         " --format html,text -o " + quote((dir / "o").string()),
                                     dir);
  REQUIRE(ok.status == 0);
  const auto html_at = ok.out.find("premigrate-diff.html"),
             txt_at = ok.out.find("premigrate-diff.txt");
  REQUIRE(html_at != std::string::npos);
  REQUIRE(txt_at != std::string::npos);
  CHECK(html_at < txt_at);
  CHECK(fs::exists(dir / "o" / "premigrate-diff.txt"));
  CHECK_FALSE(fs::exists(dir / "o" / "premigrate-diff.json"));
}
