// The analysis stage on in-code inventories and packs: every shipped rule fires on the problem
// inventory and none on the clean one; grouping, stable ids, cross-arch merging, libsolv
// dependency semantics, waivers, gaps that must make a verdict incomplete.
#include "analyze/analyze.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

#include "analyze/data_files.hpp"
#include "analyze/root_requests.hpp"
#include "core/temp_dir.hpp"
#include "fixtures.hpp"

using namespace premigrate;
using namespace premigrate::analyze;
namespace t = premigrate::analyze::test;

namespace {

const RuleSet& shipped_rules() {
  static const RuleSet r = load_rules({PREMIGRATE_RULES_DIR});
  return r;
}

struct Run {
  Result result;
};

Run analyse(const facts::Inventory& inv, const core::RootFs* root, const std::string& source,
            bool both_archs, std::vector<Waiver> waivers = {}) {
  static const auto x86 = t::pack("x86_64", "complete");
  static const auto arm = t::pack("aarch64", "partial");
  static const auto prof = t::profile();
  core::Diagnostics diags;
  // What the scan does: the collect stage answers the analysis's requests before it runs.
  const facts::Inventory full = t::with_root_reads(inv, root, prof, shipped_rules());
  Input in{full, shipped_rules(), prof, source, "fam-1.0", {}, std::move(waivers), "2026-01-01"};
  const bool supported = prof.source(source) != nullptr;
  in.archs.push_back({"x86_64", supported ? &x86 : nullptr, "no pack"});
  if (both_archs) in.archs.push_back({"aarch64", supported ? &arm : nullptr, "no pack"});
  return Run{run(in, diags)};
}

const report::Finding* find(const Result& r, const std::string& rule, const std::string& subject) {
  for (const auto& f : r.findings)
    if (f.rule_id == rule && f.subject == subject) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("every shipped rule fires on the problem root and none on the clean one", "[analyze]") {
  core::TempDir tmp;
  t::make_problem_root(tmp.path());
  core::RootFs root(tmp.path());
  const auto inv = t::problem_inventory();
  std::set<std::string> fired;
  auto collect = [&](const Result& r) {
    for (const auto& f : r.findings) fired.insert(f.rule_id);
    for (const auto& o : r.outcomes) fired.insert(o.rule_id);
  };
  collect(analyse(inv, &root, "centos-7", true,
                  {{"PM-PKG-004", "*", "old", "ops", "2025-06-30", "w:1"}})
              .result);
  collect(analyse(inv, &root, "", false).result);        // undetected source
  collect(analyse(inv, &root, "rhel-8", false).result);  // unsupported source
  std::set<std::string> all;
  for (const auto& r : shipped_rules().rules) all.insert(r.id);
  std::vector<std::string> missing;
  std::set_difference(all.begin(), all.end(), fired.begin(), fired.end(),
                      std::back_inserter(missing));
  CAPTURE(missing);
  CHECK(missing.empty());

  core::TempDir clean_dir;
  core::RootFs clean_root(clean_dir.path());
  const auto clean = analyse(t::clean_inventory(), &clean_root, "centos-7", false);
  for (const auto& f : clean.result.findings) {
    CAPTURE(f.rule_id, f.subject, f.message);
    CHECK(false);
  }
  REQUIRE(clean.result.outcomes.size() == 1);
  CHECK(clean.result.outcomes[0].outcome == "keepme: kept at 1.0-1.fam");
  for (const auto& c : clean.result.not_run) CHECK_FALSE(c.blocking);
}

TEST_CASE("one missing soname is one finding with every object as evidence", "[analyze]") {
  const auto inv = t::problem_inventory();
  const auto r = analyse(inv, nullptr, "centos-7", true);
  const auto* f = find(r.result, "PM-ELF-001", "libmissing.so.1");
  REQUIRE(f);
  CHECK(f->archs == std::vector<std::string>{"x86_64"});
  REQUIRE(f->evidence.size() == 2);
  CHECK(f->evidence[0].subject == "/opt/app/bin/app");
  CHECK(f->evidence[1].subject == "/opt/app/bin/helper");
  CHECK_THAT(f->message, Catch::Contains("needed by 2 objects and nothing on Fam 1.0"));
  // The aarch64 pack's soname data is partial: the same soname is "unconfirmed", not "missing".
  const auto* p = find(r.result, "PM-ELF-002", "libmissing.so.1");
  REQUIRE(p);
  CHECK(p->archs == std::vector<std::string>{"aarch64"});
  // Objects owned by a distribution package are replaced, not judged.
  CHECK_FALSE(find(r.result, "PM-ELF-001", "libreplaced.so.9"));
  // Bundled library via $ORIGIN: resolved, and its exports checked.
  CHECK_FALSE(find(r.result, "PM-ELF-001", "libbundled.so.1"));
  CHECK(find(r.result, "PM-ELF-004", "libbundled.so.1: absent_sym"));
  CHECK_FALSE(find(r.result, "PM-ELF-004", "libbundled.so.1: present_sym"));
  CHECK_FALSE(find(r.result, "PM-ELF-004", "libbundled.so.1: weak_sym"));
  CHECK(find(r.result, "PM-ELF-003", "libc.so.6(GLIBC_2.99)"));
  CHECK_FALSE(find(r.result, "PM-ELF-003", "libc.so.6(GLIBC_2.17)"));
  const auto* foreign = find(r.result, "PM-ELF-005", "x86_64 objects");
  REQUIRE(foreign);
  CHECK(foreign->archs == std::vector<std::string>{"aarch64"});
  CHECK_THAT(foreign->message, Catch::Contains("x86_64 code and cannot run on aarch64"));
  CHECK(foreign->severity == report::Severity::kBlocker);
}

TEST_CASE("third-party requires are resolved by libsolv, rich and versioned", "[analyze][deps]") {
  const auto r = analyse(t::problem_inventory(), nullptr, "centos-7", false);
  std::set<std::string> unresolved;
  for (const auto& f : r.result.findings)
    if (f.rule_id == "PM-3RD-002") unresolved.insert(f.subject);
  // bash 5.1 satisfies >= 4.0 but not >= 9.0; python3 satisfies the rich dependency; /bin/sh is
  // found as /usr/bin/sh (merged /usr); acme-libs is provided by acme itself; rpmlib() skipped.
  // libc.so.6 has version nodes in the pack, so a missing GLIBC_2.99 node is a fact; the ELF
  // check owns it (PM-ELF-003 names the objects), the package that requires it is evidence there.
  CHECK(unresolved == std::set<std::string>{"bash >= 9.0", "libssl.so.10()(64bit)"});
  const auto* node = find(r.result, "PM-ELF-003", "libc.so.6(GLIBC_2.99)");
  REQUIRE(node);
  CHECK(std::any_of(node->evidence.begin(), node->evidence.end(), [](const auto& e) {
    return e.subject == "libc.so.6(GLIBC_2.99)(64bit)" &&
           e.detail.rfind("also found by PM-3RD-002: ", 0) == 0;
  }));
  const auto* f = find(r.result, "PM-3RD-002", "libssl.so.10()(64bit)");
  REQUIRE(f);
  CHECK(f->evidence.at(0).subject == "acme-3.1-7.x86_64");
  // What the pack holds no data on is "cannot be checked" (low), never "missing".
  // They are one grouped finding: each capability a line of evidence, with who needs it.
  const auto* nodes = find(r.result, "PM-3RD-004", "Dependency the KB's data cannot decide");
  REQUIRE(nodes);
  CHECK(nodes->severity == report::Severity::kLow);
  CHECK(nodes->certainty == "unknown");
  CHECK_THAT(nodes->message, Catch::StartsWith("2 dependencies of third-party packages could not"));
  std::map<std::string, std::string> undecided;
  for (const auto& e : nodes->evidence) undecided.emplace(e.subject, e.detail);
  REQUIRE(undecided.count("libssl.so.3(OPENSSL_3.0.0)(64bit)"));
  CHECK(undecided.count("rtld(GNU_HASH)"));
  CHECK_THAT(undecided.at("libssl.so.3(OPENSSL_3.0.0)(64bit)"),
             Catch::Contains("has no version nodes"));
  CHECK(find(r.result, "PM-3RD-001", "acme"));
  CHECK_FALSE(find(r.result, "PM-3RD-001", "keepme"));
}

TEST_CASE("every package gets one outcome in words", "[analyze][packages]") {
  const auto r = analyse(t::problem_inventory(), nullptr, "centos-7", false);
  std::map<std::string, std::string> by_name;
  for (const auto& o : r.result.outcomes)
    by_name[o.package.substr(0, o.package.find('-'))] = o.outcome;
  CHECK(by_name.at("keepme") == "keepme: kept at 1.0-1.fam");
  CHECK(by_name.at("upme") == "upme: 2.0-1.el7 becomes 2.1-1.fam (upgrade)");
  CHECK(by_name.at("foo") == "foo: renamed to bar in Fam 1.0");
  CHECK(by_name.at("ntp") == "ntp: split into chrony, ntpstat in Fam 1.0");
  CHECK(by_name.at("gone").find("removed in Fam 1.0 with no successor") != std::string::npos);
  for (const auto& o : r.result.outcomes) {
    CAPTURE(o.package);
    CHECK_FALSE(o.action.empty());
    if (o.package.rfind("gone-", 0) == 0)
      CHECK(o.action.find("rebuild it from source") != std::string::npos);
  }
  CHECK(by_name.count("acme") == 0);  // third-party: judged by its dependencies instead
  // Information (a major version jump, kept, upgraded) is an outcome, never a finding.
  for (const char* rule : {"PM-PKG-001", "PM-PKG-002", "PM-PKG-003", "PM-PKG-011", "PM-PKG-013"})
    for (const auto& f : r.result.findings) CHECK(f.rule_id != rule);
  CHECK_THAT(by_name.at("jumpme"), Catch::Contains("jumps a major version"));
  CHECK_THAT(by_name.at("upme"), !Catch::Contains("major"));
}

TEST_CASE("finding ids are stable and identical findings merge across architectures", "[analyze]") {
  const auto inv = t::problem_inventory();
  const auto a = analyse(inv, nullptr, "centos-7", true);
  const auto b = analyse(inv, nullptr, "centos-7", true);
  REQUIRE(a.result.findings.size() == b.result.findings.size());
  for (std::size_t i = 0; i < a.result.findings.size(); ++i) {
    CHECK(a.result.findings[i].id == b.result.findings[i].id);
    CHECK(a.result.findings[i].evidence.size() == b.result.findings[i].evidence.size());
  }
  const auto* km = find(a.result, "PM-KMOD-002", "acmefs");
  REQUIRE(km);
  CHECK(km->archs == std::vector<std::string>{"x86_64", "aarch64"});
  CHECK(km->id == finding_id("PM-KMOD-002", "acmefs", {"aarch64", "x86_64"}));
  std::set<std::string> ids;
  for (const auto& f : a.result.findings) CHECK(ids.insert(f.id).second);
}

TEST_CASE("kernel modules: kABI gaps are listed per module", "[analyze][kmod]") {
  const auto r = analyse(t::problem_inventory(), nullptr, "centos-7", false);
  const auto* f = find(r.result, "PM-KMOD-001", "acmefs");
  REQUIRE(f);
  CHECK_THAT(f->message, Catch::Contains("lacks 1 of the 2 kernel symbols it uses"));
  CHECK(std::any_of(f->evidence.begin(), f->evidence.end(),
                    [](const auto& e) { return e.subject == "secret_sym"; }));
  CHECK(std::none_of(f->evidence.begin(), f->evidence.end(),
                     [](const auto& e) { return e.subject == "kmalloc"; }));
}

TEST_CASE("waivers mark findings, expired waivers stop applying and are reported",
          "[analyze][waivers]") {
  const auto inv = t::problem_inventory();
  const auto r = analyse(inv, nullptr, "centos-7", false,
                         {{"PM-ELF-001", "libmiss*", "vendor ships it", "ops", "2026-06-30", "w:1"},
                          {"PM-SVC-002", "*", "fine", "ops", "2025-12-31", "w:7"}});
  const auto* f = find(r.result, "PM-ELF-001", "libmissing.so.1");
  REQUIRE(f);
  CHECK(f->waived);
  CHECK(f->waiver_owner == "ops");
  const auto* s = find(r.result, "PM-SVC-002", "legacy");
  REQUIRE(s);
  CHECK_FALSE(s->waived);
  CHECK(find(r.result, "PM-WVR-001", "PM-SVC-002 *"));
  CHECK_THROWS_WITH(
      parse_waivers(
          "schema_version: 1\nwaivers:\n  - {rule: X, reason: r, owner: o, expires: soon}\n",
          "w.yaml"),
      Catch::Contains("w.yaml:3") && Catch::Contains("YYYY-MM-DD"));
}

TEST_CASE("without a pack the KB checks are listed as not run", "[analyze]") {
  const auto r = analyse(t::problem_inventory(), nullptr, "", false);
  std::set<std::string> not_run;
  for (const auto& c : r.result.not_run)
    if (c.blocking) not_run.insert(c.check);
  CHECK(not_run.count("packages"));
  CHECK(not_run.count("elf-linkage"));
  CHECK(not_run.count("third-party-dependencies"));
  CHECK(find(r.result, "PM-HOST-001", "(undetected)"));
  // Machine checks need no KB: they still run.
  CHECK(find(r.result, "PM-ELF-006", "i386"));
  facts::Inventory inv;
  inv.collectors = {{"rpmdb", facts::CollectorState::kOk, ""},
                    {"files", facts::CollectorState::kSkipped, "file walk disabled (--no-files)"}};
  const auto gaps = collector_gaps(inv);
  CHECK(gaps.size() == 3);
}

TEST_CASE("the JSON report streamed from a capped document is dump(2) of the full one",
          "[analyze][report]") {
  std::vector<report::Finding> findings;
  for (std::size_t n : {0, 3, 51, 120}) {
    report::Finding f;
    f.id = "F" + std::to_string(n);
    f.rule_id = "PM-PRG-001";
    f.category = "scripts-services";
    f.severity = report::Severity::kHigh;
    f.archs = {"x86_64"};
    f.subject = "/bin/sh \"quoted\" \xff";  // invalid UTF-8 is replaced the same way
    f.message = "中文 message";
    for (std::size_t i = 0; i < n; ++i)
      f.evidence.push_back({"/opt/app/s" + std::to_string(i) + ".sh \"\\\x01\xfe",
                            "needs\t/bin/sh 中文 \x7f"});  // escapes written as dump() does
    findings.push_back(std::move(f));
  }
  report::BuildContext ctx;
  ctx.archs = {"x86_64"};
  core::Diagnostics diags;
  const auto r = report::build(t::clean_inventory(), std::move(findings), ctx, diags);
  const auto full = report::to_json(r);
  const auto capped = report::to_json(r, report::kEvidenceInDocument);
  std::size_t truncated = 0;
  for (const auto& f : capped["findings"]) {
    CHECK(f["evidence"].size() <= report::kEvidenceInDocument);
    if (f.contains("evidence_total")) {
      ++truncated;
      CHECK(f["evidence_total"].get<std::size_t>() > report::kEvidenceInDocument);
    }
  }
  CHECK(truncated == 2);
  std::ostringstream streamed;
  report::write_json(streamed, capped, r);
  CHECK(streamed.str() ==
        full.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

TEST_CASE("readiness score: weighted, capped per rule, a blocker keeps it under half",
          "[analyze][report]") {
  using report::RuleCount;
  using S = report::Severity;
  CHECK(report::readiness_score({}) == 100);
  CHECK(report::readiness_score({{"I", S::kInfo, 40}}) == 100);
  CHECK(report::readiness_score({{"M", S::kMedium, 1}, {"L", S::kLow, 2}}) == 95);  // 100·.97·.99²
  // 200 low rows of one rule count as 3 (97), less than one blocker (70, and at most 49).
  const int lows = report::readiness_score({{"L", S::kLow, 200}});
  const int blocker = report::readiness_score({{"B", S::kBlocker, 1}});
  CHECK(lows == 97);
  CHECK(blocker == 49);
  CHECK(lows > blocker);
  CHECK(report::readiness_score({{"H", S::kHigh, 1}}) == 92);
  CHECK(report::readiness_score({{"H", S::kHigh, 9}}) == 85);  // two of one rule count: .92²
  CHECK(report::readiness_score({{"H", S::kHigh, 1}, {"I", S::kHigh, 1}, {"J", S::kHigh, 1}}) ==
        78);
  CHECK(report::readiness_score({{"B", S::kBlocker, 2}, {"C", S::kBlocker, 2}}) == 24);  // .7⁴
  CHECK(report::readiness_score(
            {{"B", S::kBlocker, 2}, {"C", S::kBlocker, 2}, {"H", S::kHigh, 9}}) == 20);
}

TEST_CASE("staying libraries resolve only from the linker's directories and ld.so.conf",
          "[analyze][elf]") {
  core::TempDir tmp;
  t::write(tmp.path() / "etc/ld.so.conf", "include ld.so.conf.d/*.conf\n");
  t::write(tmp.path() / "etc/ld.so.conf.d/sys.conf", "# local libs\n/opt/syslib\n");
  core::RootFs root(tmp.path());
  auto inv = t::clean_inventory();
  auto lib = [](const std::string& path, const std::string& soname) {
    facts::ElfObject e;
    e.path = path;
    e.soname = soname;
    e.machine = "x86_64";
    e.elf_class = 64;
    e.type = "dyn";
    return e;
  };
  inv.elf_objects.push_back(lib("/opt/syslib/libsys.so.1", "libsys.so.1"));
  inv.elf_objects.push_back(lib("/opt/elsewhere/libother.so.1", "libother.so.1"));
  inv.elf_objects[0].needed.emplace_back("libsys.so.1");
  inv.elf_objects[0].needed.emplace_back("libother.so.1");
  const auto with_conf = analyse(inv, &root, "centos-7", false);
  CHECK_FALSE(find(with_conf.result, "PM-ELF-001", "libsys.so.1"));
  CHECK(find(with_conf.result, "PM-ELF-001", "libother.so.1"));
  const auto no_root = analyse(inv, nullptr, "centos-7", false);
  CHECK(find(no_root.result, "PM-ELF-001", "libsys.so.1"));
}

TEST_CASE("verdicts: clean is ready, a blocker blocks, a blocking gap is incomplete",
          "[analyze][report]") {
  auto verdict = [](const facts::Inventory& inv, const std::string& source) {
    const auto r = analyse(inv, nullptr, source, false);
    report::BuildContext ctx;
    ctx.archs = {"x86_64"};
    ctx.checks_not_run = r.result.not_run;
    core::Diagnostics d;
    return report::build(inv, r.result.findings, ctx, d, r.result.outcomes).verdicts.at(0);
  };
  const auto clean = verdict(t::clean_inventory(), "centos-7");
  CHECK(clean.verdict == report::Verdict::kReady);
  CHECK(clean.score == 100);
  const auto problem = verdict(t::problem_inventory(), "centos-7");
  CHECK(problem.verdict == report::Verdict::kBlocked);
  CHECK(problem.counts_by_category.at("elf") > 0);
  auto quiet = t::clean_inventory();
  quiet.host.source_release.clear();
  const auto gap = verdict(quiet, "");
  CHECK(gap.verdict == report::Verdict::kIncomplete);
  // The words of the report JSON, worst first, and back.
  std::vector<std::string> words;
  for (const auto v : report::all_verdicts()) {
    words.emplace_back(report::to_string(v));
    CHECK(report::parse_verdict(words.back()) == v);
  }
  CHECK(words == std::vector<std::string>{"blocked", "incomplete", "ready_after_actions", "ready"});
  CHECK_FALSE(report::parse_verdict("Ready"));
  CHECK(gap.score_bound == "at_most");
  CHECK(clean.score_bound == "exact");
}

TEST_CASE("openssh_keyword takes the first word of an sshd_config line") {
  using premigrate::analyze::openssh_keyword;
  CHECK(openssh_keyword("Port 22") == "Port");
  CHECK(openssh_keyword("  \tRSAAuthentication=yes") == "RSAAuthentication");
  CHECK(openssh_keyword("UsePAM") == "UsePAM");
  CHECK(openssh_keyword("# Port 22").empty());
  CHECK(openssh_keyword(" \t ").empty());
  CHECK(openssh_keyword("").empty());
  CHECK(openssh_keyword("=yes").empty());
}

TEST_CASE("an EPEL package the target ships is available from the target, not a vendor build",
          "[analyze][deps]") {
  core::TempDir tmp;
  t::make_problem_root(tmp.path());
  core::RootFs root(tmp.path());
  const auto r = analyse(t::problem_inventory(), &root, "centos-7", false).result;
  const auto* on_target = find(r, "PM-3RD-005", "epelpkg");
  REQUIRE(on_target);
  CHECK_THAT(on_target->message,
             Catch::Contains("everything repository") && Catch::Contains("2.0-1.fam"));
  CHECK_FALSE(find(r, "PM-3RD-001", "epelpkg"));
  CHECK(find(r, "PM-3RD-001", "acme"));  // the target ships no acme: still a vendor build
  CHECK(find(r, "PM-REPO-002", "/etc/yum.repos.d/epel.repo"));
  CHECK_FALSE(find(r, "PM-REPO-002", "/etc/yum.repos.d/CentOS-Base.repo"));
  // Package outcomes carry the evidence and the datasets of their fate.
  const auto keep = std::find_if(r.outcomes.begin(), r.outcomes.end(),
                                 [](const auto& o) { return o.package.rfind("keepme-", 0) == 0; });
  REQUIRE(keep != r.outcomes.end());
  CHECK(keep->evidence == "observed");
  CHECK(keep->sources == "d");
}
