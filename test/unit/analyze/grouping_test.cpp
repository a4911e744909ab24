// Grouping loses nothing: the subjects of the ungrouped findings (one per rule, subject and
// architecture, information rows included) are all still in a grouped finding, its evidence,
// or the package outcomes; and what grouping is meant to merge, it merges.
#include "analyze/grouping.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <set>

#include "analyze/analyze.hpp"
#include "analyze/data_files.hpp"
#include "core/temp_dir.hpp"
#include "fixtures.hpp"

using namespace premigrate;
using namespace premigrate::analyze;
namespace t = premigrate::analyze::test;

namespace {

Result analyse(const RuleSet& rules, bool group, const core::RootFs* root) {
  static const auto x86 = t::pack("x86_64", "complete");
  static const auto arm = t::pack("aarch64", "partial");
  static const auto prof = t::profile();
  const auto inv = t::with_root_reads(t::problem_inventory(), root, prof, rules);
  Input in{inv, rules, prof, "centos-7", "fam-1.0", {}, {}, "2026-01-01"};
  in.archs = {{"x86_64", &x86, ""}, {"aarch64", &arm, ""}};
  in.group = group;
  core::Diagnostics diags;
  return run(in, diags);
}

// "name-[epoch:]version-release.arch" -> name.
std::string name_of(const std::string& nevra) {
  auto cut = nevra.rfind('-');
  if (cut != std::string::npos) cut = nevra.rfind('-', cut - 1);
  return cut == std::string::npos ? nevra : nevra.substr(0, cut);
}

}  // namespace

TEST_CASE("grouping keeps every subject: findings, evidence or package outcomes",
          "[analyze][grouping]") {
  core::TempDir tmp;
  t::make_problem_root(tmp.path());
  core::RootFs root(tmp.path());
  const RuleSet shipped = load_rules({PREMIGRATE_RULES_DIR});
  // Before: every rule a finding (the information rows too), nothing merged or owned.
  RuleSet all_findings = shipped;
  for (auto& r : all_findings.rules) r.finding = true;
  const auto before = analyse(all_findings, false, &root);
  const auto after = analyse(shipped, true, &root);

  std::set<std::string> was, is;
  for (const auto& f : before.findings) {
    for (const auto& a : f.archs) {
      was.insert(a + " " + f.subject);
      for (const auto& e : f.evidence) was.insert(a + " " + e.subject);
    }
  }
  for (const auto& f : after.findings) {
    for (const auto& a : f.archs) {
      is.insert(a + " " + f.subject);
      for (const auto& e : f.evidence) {
        is.insert(a + " " + e.subject);
        is.insert(a + " " + name_of(e.subject));  // a package listed by its NEVRA
      }
    }
  }
  for (const auto& o : after.outcomes) {
    is.insert(o.arch + " " + o.package);
    is.insert(o.arch + " " + name_of(o.package));
  }
  std::vector<std::string> lost;
  std::set_difference(was.begin(), was.end(), is.begin(), is.end(), std::back_inserter(lost));
  CAPTURE(lost);
  CHECK(lost.empty());
  CHECK(was.size() > 40);  // the problem root exercises every rule: a real comparison

  // Fewer findings after, and no rule and subject twice on one architecture.
  CHECK(after.findings.size() < before.findings.size());
  std::set<std::string> seen;
  for (const auto& f : after.findings)
    for (const auto& a : f.archs) CHECK(seen.insert(f.rule_id + " " + f.subject + " " + a).second);
  // One soname, one finding: the dependency check's libssl.so.10()(64bit) is evidence of the
  // ELF check's finding (or the other way round), never a finding of its own beside it.
  std::set<std::string> soname_findings;
  for (const auto& f : after.findings)
    if (f.subject.rfind("libssl.so.10", 0) == 0)
      for (const auto& a : f.archs) CHECK(soname_findings.insert(a).second);
}

TEST_CASE("per-architecture findings merge when their wording agrees", "[analyze][grouping]") {
  Rule r;
  r.id = "PM-T-001";
  r.category = "elf";
  r.severity = report::Severity::kHigh;
  r.message = "{subject}: {count|object|objects} cannot run on {arch}";
  r.remediation = "rebuild for {arch}";
  r.references = {"https://example.invalid/r"};
  auto per_arch = [&](const std::string& arch, std::vector<report::Evidence> ev,
                      const std::string& n) {
    PerArchFinding p;
    p.rule = &r;
    p.arch = arch;
    p.vars = {{"subject", "libx.so.1"}, {"count", n}};
    p.evidence = std::move(ev);
    return p;
  };
  const auto merged =
      merge_across_archs({per_arch("x86_64", {{"/a", "needs it"}, {"/b", "needs it"}}, "2"),
                          per_arch("aarch64", {{"/a", "needs it"}, {"/c", "needs it"}}, "2")});
  REQUIRE(merged.size() == 1);
  CHECK(merged[0].archs == std::vector<std::string>{"x86_64", "aarch64"});
  CHECK(merged[0].message == "libx.so.1: 2 objects cannot run on x86_64, aarch64");
  REQUIRE(merged[0].evidence.size() == 3);
  CHECK(merged[0].evidence[0].detail == "needs it");
  CHECK(merged[0].evidence[1].detail == "needs it [x86_64 only]");
  CHECK(merged[0].evidence[2].detail == "needs it [aarch64 only]");
  // A count that differs would make one message false on one architecture: kept apart.
  const auto apart = merge_across_archs({per_arch("x86_64", {{"/a", "d"}}, "1"),
                                         per_arch("aarch64", {{"/a", "d"}, {"/c", "d"}}, "2")});
  REQUIRE(apart.size() == 2);
  CHECK(apart[0].message == "libx.so.1: 1 object cannot run on x86_64");
}

TEST_CASE("a grouped finding is waived by its subject or by a pattern that names all its lines",
          "[analyze][grouping][waivers]") {
  static const auto x86 = t::pack("x86_64", "complete");
  static const auto prof = t::profile();
  const RuleSet rules = load_rules({PREMIGRATE_RULES_DIR});
  const auto inv = t::problem_inventory();
  auto grouped = [&](std::vector<Waiver> waivers) {
    Input in{inv, rules, prof, "centos-7", "fam-1.0", {}, std::move(waivers), "2026-01-01"};
    in.archs = {{"x86_64", &x86, ""}};
    core::Diagnostics diags;
    auto r = run(in, diags);
    for (auto& f : r.findings)
      if (f.rule_id == "PM-3RD-004") return f;
    FAIL("no PM-3RD-004 finding");
    return report::Finding{};
  };
  const auto plain = grouped({});
  CHECK(plain.subject == "Dependency the KB's data cannot decide");
  REQUIRE(plain.evidence.size() > 1);
  CHECK_FALSE(plain.waived);
  // One of its lines only: the message counts them all, so it stays open.
  const auto& one = plain.evidence.front().subject;
  CHECK_FALSE(grouped({{"PM-3RD-004", one, "r", "o", "2099-01-01", "w:1"}}).waived);
  // Its subject, or a pattern that names every line.
  CHECK(grouped({{"PM-3RD-004", "Dependency*", "r", "o", "2099-01-01", "w:1"}}).waived);
  CHECK(grouped({{"PM-3RD-004", "*", "r", "o", "2099-01-01", "w:1"}}).waived);
  for (const auto& e : plain.evidence)
    CHECK(std::islower(static_cast<unsigned char>(e.subject[0])));
  CHECK(grouped({{"PM-3RD-004", "[a-z]*", "r", "o", "2099-01-01", "w:1"}}).waived);  // not "D..."
}

TEST_CASE("one program path, one finding: the scripts, services and packages that need it",
          "[analyze][grouping]") {
  auto rule = [](const std::string& id, const std::string& kind, report::Severity s) {
    Rule r;
    r.id = id;
    r.condition.kind = kind;
    r.severity = s;
    return r;
  };
  RuleSet rules;
  rules.rules = {rule("T-DEP", "unresolved_dependency", report::Severity::kHigh),
                 rule("T-SCR", "missing_program", report::Severity::kHigh),
                 rule("T-SVC", "missing_program", report::Severity::kHigh)};
  auto finding = [](const std::string& rule_id, const std::string& subject, const std::string& ev) {
    report::Finding f;
    f.rule_id = rule_id;
    f.severity = report::Severity::kHigh;
    f.subject = subject;
    f.message = rule_id + " message";
    f.archs = {"x86_64"};
    f.evidence = {{ev, "needs it"}};
    return f;
  };
  const auto out =
      assign_owner_checks({finding("T-SCR", "/usr/bin/python2", "/usr/local/bin/job.py"),
                           finding("T-SVC", "/usr/bin/python2", "/etc/systemd/system/job.service"),
                           finding("T-DEP", "/usr/bin/python2", "ops-scripts-1-1.noarch"),
                           finding("T-SCR", "/usr/bin/perl", "/usr/local/bin/x.pl")},
                          rules);
  REQUIRE(out.size() == 2);
  CHECK(out[0].rule_id == "T-SCR");  // the first of equally severe owners
  CHECK(out[0].message == "T-SCR message");
  std::set<std::string> subjects;
  for (const auto& e : out[0].evidence) subjects.insert(e.subject);
  CHECK(subjects == std::set<std::string>{"/usr/bin/python2", "/usr/local/bin/job.py",
                                          "/etc/systemd/system/job.service",
                                          "ops-scripts-1-1.noarch"});
  CHECK(out[1].subject == "/usr/bin/perl");
}
