// Queries on a small hand-written pack: package fate, provides, files, kABI, OpenSSH, coverage,
// plus schema errors and target-id resolution.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "kb/evr.hpp"
#include "kb/kb.hpp"
#include "kb/pack_format.hpp"
#include "kb/validate.hpp"
#include "test_util.hpp"

using namespace premigrate::kb;
using nlohmann::json;
namespace t = premigrate::kb::test;

namespace {

json small_pack(const std::string& bin_coverage) {
  json cov = json::object();
  for (const char* k : kFactKinds)
    cov[k] = {{"status", "unknown"}, {"reason", "none"}, {"datasets", json::array()}};
  cov["binary_packages"] = {
      {"status", bin_coverage}, {"reason", "test list"}, {"datasets", {"bins"}}};
  json ds = json::array();
  for (const char* id : {"bins", "events", "kabi", "vers-ga", "vers-sp1"})
    ds.push_back({{"id", id},
                  {"facts", json::array()},
                  {"importer", "curated"},
                  {"name", std::string(id) + " data"},
                  {"origin", "test"},
                  {"commit", ""},
                  {"date", ""},
                  {"licence", "x"},
                  {"derived_from", ""},
                  {"note", ""},
                  {"files", json::array()},
                  {"rows", 1},
                  {"rows_in_pack", 1}});
  return {
      {"schema_version", 1},
      {"kb_version", "1.2.3"},
      {"build_date", "2025-01-15"},
      {"source_release", "centos-7"},
      {"arch", "x86_64"},
      {"target",
       {{"id", "fam-1.0"},
        {"family", "fam"},
        {"name", "Fam 1.0"},
        {"line", "fam-1"},
        {"lts", true},
        {"version", {1, 0}}}},
      {"datasets", ds},
      {"coverage", cov},
      {"binary_packages",
       {{"chrony", "x86_64", "4.10-1", "os", "chrony", 0},
        {"chrony", "x86_64", "4.9-1", "update", "chrony", 0},
        {"python2", "x86_64", "2.7.18-2", "everything", "python2", 0}}},
      {"source_packages", json::array({json::array({"zlib", "baseos", 0})})},
      {"source_versions",
       {{"zlib", "1.2.13-2", 4}, {"zlib", "1.2.11", 3}, {"python2", "2.7.18", 3}}},
      {"dropped_packages", json::array({json::array({"oldthing", 0})})},
      {"evolution",
       {{"split", {"ntp"}, "base", {"chrony", "ntpstat"}, "b8", "CentOS 7.7", "CentOS 8.0", 1, ""},
        {"renamed", {"foo"}, "", {"bar"}, "", "centos-7", "fam-1.0", 1, "https://example.org [x]"},
        {"removed", {"foo"}, "base", json::array(), "", "CentOS 7.7", "CentOS 8.0", 1, ""},
        {"replaced",
         {"python"},
         "base",
         {"platform-python"},
         "",
         "CentOS 7.7",
         "CentOS 8.0",
         1,
         ""},
        {"removed", {"gone"}, "base", json::array(), "", "CentOS 7.7", "CentOS 8.0", 1, ""}}},
      {"provides",
       {{"libssl.so.1.1()(64bit)", "rpm", "openssl-libs", 0},
        {"libc.so.6(GLIBC_2.17)(64bit)", "rpm", "glibc", 0},
        {"libc.so.6()(64bit)", "rpm", "glibc", 0},
        {"python", "rpm", "python2", 0}}},
      {"files", json::array({json::array({"/usr/bin/python2", "python2", 0})})},
      {"kabi",
       json::array({json::array({"kmalloc", "0xabc", "vmlinux", "EXPORT_SYMBOL", true, 2})})},
      {"source_kabi", json::array()},
      {"kernel", {{"version", "5.10.0"}, {"release_at_snapshot", "5.10.0-1"}, {"dataset", 2}}},
      {"openssh", {{"version", "8.8p1"}, {"dataset", nullptr}}},
      {"openssh_sshd_config", json::array({json::array({"useprivilegeseparation", "deprecated"})})},
      {"openssh_ssh_config", json::array()}};
}

KnowledgeBase load_small(const std::string& cov = "complete") {
  return KnowledgeBase::from_text(small_pack(cov).dump(), "small.json");
}

}  // namespace

TEST_CASE("the hand-written pack is valid for the validator", "[kb][query]") {
  const auto clean = validate_pack(small_pack("complete"), "small.json");
  CAPTURE(clean);
  CHECK(clean.empty());
  auto broken = small_pack("complete");
  broken["files"].push_back({"/x", "p", 7});
  auto problems = validate_pack(broken, "small.json");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("files[1]") != std::string::npos);
}

TEST_CASE("the validator reports odd shapes as problems instead of throwing", "[kb][query]") {
  auto problems_of = [](auto edit) {
    auto p = small_pack("complete");
    edit(p);
    return validate_pack(p, "odd.json");
  };
  auto has = [](const std::vector<std::string>& problems, const std::string& text) {
    CAPTURE(problems, text);
    return std::any_of(problems.begin(), problems.end(),
                       [&](const std::string& p) { return p.find(text) != std::string::npos; });
  };
  CHECK(has(problems_of([](json& p) { p["schema_version"] = "1"; }), "schema_version"));
  CHECK(
      has(problems_of([](json& p) { p["coverage"]["kabi"] = 3; }), "coverage.kabi: not an object"));
  CHECK(has(problems_of([](json& p) { p["coverage"]["kabi"]["status"] = 1; }),
            "coverage.kabi.status"));
  // A long string is checked without recursion (std::regex would overflow the stack here).
  CHECK(has(problems_of([](json& p) { p["kb_version"] = std::string(200000, '1') + "x"; }),
            "kb_version: bad format"));
  CHECK(
      has(problems_of([](json& p) { p["build_date"] = "2025-1-155"; }), "build_date: bad format"));
  CHECK(has(problems_of([](json& p) { p["source_release"] = "centos-7-x"; }),
            "source_release: bad format"));
  CHECK(has(problems_of([](json& p) { p["target"]["id"] = "Fam-1"; }), "target.id"));
  CHECK(problems_of([](json& p) { p["source_release"] = "centos-7.9"; }).empty());
}
TEST_CASE("package fate answers with the dataset that says so", "[kb][query]") {
  const auto kb = load_small();
  auto f = kb.package_fate("chrony");
  CHECK(f.kind == FateKind::kPresent);
  CHECK(f.evr == "4.10-1");  // rpm version order, not string order ("4.9-1" sorts after)
  CHECK(f.repo == "os");
  CHECK(f.datasets == std::vector<std::string>{"bins"});

  // An imported (RHEL 7 -> 8) split applies only through the successors the target ships.
  f = kb.package_fate("ntp");
  CHECK(f.kind == FateKind::kSplit);
  CHECK(f.targets == std::vector<std::string>{"chrony"});
  CHECK(f.datasets == std::vector<std::string>{"events", "bins"});
  CHECK_THAT(f.reason,
             Catch::Contains("the target ships chrony") && Catch::Contains("not ntpstat"));

  f = kb.package_fate("foo");  // the curated entry (with a reference) wins over the import
  CHECK(f.kind == FateKind::kRenamed);
  CHECK(f.reference == "https://example.org [x]");

  // RHEL replaced python by platform-python; the target ships no platform-python, so the
  // event is only mentioned and the target's own data (a Provides) answers.
  f = kb.package_fate("python");
  CHECK(f.kind == FateKind::kProvidedBy);
  CHECK(f.targets == std::vector<std::string>{"python2"});
  CHECK_THAT(f.reason, Catch::Contains(
                           "says replaced by platform-python; not applied: the target ships none"));

  // A RHEL removal is not evidence for the target; the complete binary list is.
  f = kb.package_fate("gone");
  CHECK(f.kind == FateKind::kRemoved);
  CHECK(f.datasets == std::vector<std::string>{"bins"});
  CHECK_THAT(f.reason, Catch::StartsWith("not in the target's complete binary package list") &&
                           Catch::Contains("says removed; not applied: it describes RHEL"));

  f = kb.package_fate("nosuch");
  CHECK(f.kind == FateKind::kRemoved);  // the binary list is complete
  CHECK_THAT(f.reason, !Catch::Contains("RHEL"));
}

TEST_CASE("imported events are not asserted where the target's binary list is unknown",
          "[kb][query]") {
  const auto kb = load_small("unknown");
  const auto f = kb.package_fate("ntp");
  CHECK(f.kind == FateKind::kUnknown);
  CHECK(f.targets.empty());
  CHECK_THAT(
      f.reason,
      Catch::Contains("(CentOS 7.7 -> CentOS 8.0, events data) says split into chrony, ntpstat") &&
          Catch::Contains("not applied: the target's binary package list is unknown"));
  CHECK(kb.package_fate("gone").kind == FateKind::kUnknown);
  CHECK(kb.package_fate("foo").kind == FateKind::kRenamed);  // curated: names its targets
}

TEST_CASE("fate falls back to source lists and says unknown when data is missing", "[kb][query]") {
  const auto kb = load_small("partial");
  CHECK(kb.package_fate("nosuch").kind == FateKind::kUnknown);
  CHECK(kb.package_fate("nosuch").reason.find("partial") != std::string::npos);
  const auto zlib = kb.package_fate("zlib");
  CHECK(zlib.kind == FateKind::kSourcePresent);
  CHECK(zlib.repo == "baseos");
  // The version tables: the later dataset of the manifest (a service pack's diff) wins.
  CHECK(zlib.evr == "1.2.13-2");
  CHECK(zlib.datasets == std::vector<std::string>{"bins", "vers-sp1"});
  CHECK_THAT(zlib.reason, Catch::Contains("version 1.2.13-2 per vers-sp1 data"));
  CHECK(kb.source_version("zlib")->version == "1.2.13-2");
  CHECK_FALSE(kb.source_version("nosuch"));
  CHECK(kb.package_fate("oldthing").kind == FateKind::kRemoved);
}

TEST_CASE("provides, sonames with version nodes, files, kABI and OpenSSH", "[kb][query]") {
  const auto kb = load_small();
  auto p = kb.soname_providers("libc.so.6", "GLIBC_2.17");
  REQUIRE(p.size() == 1);
  CHECK(p[0].package == "glibc");
  CHECK(p[0].version_node == "GLIBC_2.17");
  CHECK(kb.soname_providers("libc.so.6").size() == 1);
  CHECK(kb.soname_providers("libc.so.6", "GLIBC_2.99").empty());
  CHECK(kb.soname_providers("libssl.so.1.1", "", false).empty());  // no 32-bit provider
  CHECK(kb.providers_of("libssl.so.1.1()(64bit)").at(0).package == "openssl-libs");
  CHECK(kb.shipped_file("/usr/bin/python2")->package == "python2");
  CHECK_FALSE(kb.shipped_file("/usr/bin/python"));
  CHECK(kb.executables_named("python2").size() == 1);
  auto k = kb.kabi_symbol("kmalloc");
  CHECK(k.found);
  CHECK(k.symbol.crc == "0xabc");
  CHECK(k.dataset == "kabi");
  CHECK_FALSE(kb.kabi_symbol("nosuch").found);
  CHECK(kb.kernel().version == "5.10.0");
  CHECK(kb.openssh_keyword("sshd_config", "UsePrivilegeSeparation").status == "deprecated");
  CHECK(kb.openssh_keyword("sshd_config", "NoSuchKeyword").status == "unknown");
  CHECK(kb.coverage("binary_packages").status == CoverageStatus::kComplete);
  CHECK(kb.coverage("provides").status == CoverageStatus::kUnknown);
}

TEST_CASE("an unknown pack schema is a run error naming the file", "[kb][query]") {
  auto p = small_pack("complete");
  p["schema_version"] = 99;
  REQUIRE_THROWS_WITH(KnowledgeBase::from_text(p.dump(), "future.json"),
                      Catch::Contains("future.json") && Catch::Contains("schema_version 99"));
  REQUIRE_THROWS_WITH(KnowledgeBase::from_text("{\n\"a\": \n", "broken.json"),
                      Catch::Contains("broken.json:3:"));
  // Found by fuzz_kb_pack in CI: nlohmann reports a number too large for a double as
  // out_of_range (406), not as a parse_error, and it escaped as an uncaught exception.
  REQUIRE_THROWS_WITH(
      KnowledgeBase::from_text("{\"schema_version\": 38782e485}", "huge.json"),
      Catch::Contains("huge.json: invalid JSON") && Catch::Contains("number overflow"));
}

// Found by fuzz_kb_pack in CI: a float or out-of-range number where the pack wants an index was
// converted by nlohmann's get<> without a check (undefined behaviour for 1e300).
TEST_CASE("numbers out of range in a pack are run errors, not conversions", "[kb][query]") {
  auto with = [](auto edit) {
    auto p = small_pack("complete");
    edit(p);
    return p.dump();
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {with([](json& p) { p["binary_packages"][0][5] = 1e300; }), "dataset index"},
      {with([](json& p) { p["provides"][0][3] = -1; }), "dataset index"},
      {with([](json& p) { p["files"][0][2] = 4294967296ull + 0; }), "dataset index"},
      {with([](json& p) { p["datasets"][0]["rows"] = -3.5; }), "rows"},
      {with([](json& p) {
         p["target"]["version"] = {1, 1e20};
       }),
       "target.version"},
      {with([](json& p) { p["kernel"]["dataset"] = 2.5; }), "dataset index"},
      {with([](json& p) { p["openssh"]["dataset"] = 7; }), "openssh row names dataset 7"},
      {with([](json& p) { p["dropped_packages"][0][1] = 9; }),
       "dropped_packages row names dataset 9"},
      {with([](json& p) { p["schema_version"] = 18446744073709551615ull; }),
       "schema_version 18446744073709551615"},
      {with([](json& p) { p["coverage"]["kabi"]["status"] = "maybe"; }), "unknown coverage status"},
  };
  for (const auto& [text, message] : cases) {
    INFO(message);
    REQUIRE_THROWS_WITH(KnowledgeBase::from_text(text, "odd.json"),
                        Catch::Contains("odd.json") && Catch::Contains(message));
  }
  CHECK_NOTHROW(KnowledgeBase::from_text(small_pack("complete").dump(), "fine.json"));
}

TEST_CASE("target ids resolve: full, short (newest SP with packs), default newest LTS",
          "[kb][target]") {
  const auto dir = t::scratch("catalog");
  t::write(dir / "targets.json", R"({"schema_version": 1, "default_family": "fam", "targets": [
    {"id": "fam-1.0", "family": "fam", "name": "F 1.0", "line": "fam-1", "lts": true, "version": [1, 0]},
    {"id": "fam-1.0-sp1", "family": "fam", "name": "F 1.0 SP1", "line": "fam-1", "lts": true, "version": [1, 0, 1]},
    {"id": "fam-1.0-sp2", "family": "fam", "name": "F 1.0 SP2", "line": "fam-1", "lts": true, "version": [1, 0, 2]},
    {"id": "fam-2.0", "family": "fam", "name": "F 2.0", "line": "fam-2", "lts": false, "version": [2, 0]}]})");
  for (const char* id : {"fam-1.0", "fam-1.0-sp1", "fam-2.0"})
    t::write(dir / "packs" / pack_file_name("centos-7", id, "x86_64"), "{}");
  CHECK(resolve_target(dir, "fam-1.0").id == "fam-1.0");
  CHECK(resolve_target(dir, "FAM-1.0").id == "fam-1.0");
  CHECK(resolve_target(dir, "fam-1").id == "fam-1.0-sp1");  // sp2 has no packs: not shipped here
  CHECK(resolve_target(dir, "").id == "fam-1.0-sp1");       // fam-2.0 is not LTS
  REQUIRE_THROWS_AS(resolve_target(dir, "fam-3"), premigrate::core::UsageError);
  CHECK(resolve_arches("") == std::vector<std::string>{"x86_64", "aarch64"});
  REQUIRE_THROWS_AS(resolve_arches("ppc64le"), premigrate::core::UsageError);
  REQUIRE_THROWS_WITH(load(dir, "fam-1.0", "aarch64", "centos-7"), Catch::Contains("no KB pack"));
}

TEST_CASE("rpm version comparison comes from libsolv", "[kb][evr]") {
  CHECK(evr_compare("1.0~rc1-1", "1.0-1") < 0);
  CHECK(evr_compare("2:1.0-1", "1:9.0-1") > 0);
  CHECK(evr_compare("1.10-1", "1.9-1") > 0);
  CHECK(version_compare("1.0-1.el7", "1.0-5.fam") == 0);
  CHECK(major_version_differs("2.7.5", "3.9.1"));
  CHECK_FALSE(major_version_differs("3.6", "3.9"));
  CHECK_FALSE(major_version_differs("1:2.0", "2.5"));
}

namespace {

// The small pack plus the shapes the resolver's steps read: Provides and Obsoletes of shipped
// packages, the release package, a file owned by another package, a source package that ships.
KnowledgeBase load_resolver_pack() {
  auto p = small_pack("complete");
  for (const auto& b : {json{"bzip2", "x86_64", "1.0.8-6", "os", "bzip2", 0},
                        json{"pkgconf", "x86_64", "1.8.0-2", "os", "pkgconf", 0},
                        json{"opensc", "x86_64", "0.23.0-1", "os", "opensc", 0},
                        json{"fam-release", "x86_64", "1.0-1", "os", "fam-release", 0},
                        json{"util-linux", "x86_64", "2.37-1", "os", "util-linux", 0},
                        json{"openssl-libs", "x86_64", "1.1.1m-1", "os", "openssl", 0}})
    p["binary_packages"].push_back(b);
  for (const auto& r :
       {json{"bzip2-libs", "rpm", "bzip2", 0}, json{"bzip2-libs", "obsoletes", "bzip2", 0},
        json{"pkgconfig", "rpm", "pkgconf", 0}, json{"pkgconfig", "obsoletes", "pkgconf", 0},
        json{"coolkey", "obsoletes", "opensc", 0}, json{"system-release", "rpm", "fam-release", 0},
        json{"notshipped", "obsoletes", "ghostpkg", 0}})
    p["provides"].push_back(r);
  p["files"].push_back({"/usr/bin/hardlink", "util-linux", 0});
  p["source_packages"].push_back({"rpm", "baseos", 0});
  // A RHEL event that the target's own Obsoletes contradict.
  p["evolution"].push_back(
      {"replaced", {"bzip2-libs"}, "base", {"chrony"}, "", "CentOS 7.7", "CentOS 8.0", 1, ""});
  return KnowledgeBase::from_text(p.dump(), "resolver.json");
}

}  // namespace

TEST_CASE("the resolver asks the target's Provides and Obsoletes before third-party events",
          "[kb][fates]") {
  const auto kb = load_resolver_pack();
  auto f = kb.package_fate(FateQuery{"bzip2-libs", "bzip2", {}, {}});
  CHECK(f.kind == FateKind::kMerged);  // same source package: merged, not renamed
  CHECK(f.targets == std::vector<std::string>{"bzip2"});
  CHECK(f.evidence == "observed");
  CHECK_THAT(f.reason, Catch::Contains("bzip2 Obsoletes and Provides bzip2-libs") &&
                           Catch::Contains("the target's data overrides: replaced"));
  f = kb.package_fate(FateQuery{"pkgconfig", "pkgconfig", {}, {}});
  CHECK(f.kind == FateKind::kRenamed);
  CHECK(f.targets == std::vector<std::string>{"pkgconf"});
  f = kb.package_fate("coolkey");
  CHECK(f.kind == FateKind::kReplaced);
  CHECK(f.targets == std::vector<std::string>{"opensc"});
  // An obsoleting package the target does not ship is no successor.
  CHECK(kb.package_fate("notshipped").kind == FateKind::kRemoved);
  // The release package maps to the target's.
  f = kb.package_fate("centos-release");
  CHECK(f.kind == FateKind::kRenamed);
  CHECK(f.targets == std::vector<std::string>{"fam-release"});
  // Third-party events still answer where the target's data says nothing.
  f = kb.package_fate("ntp");
  CHECK(f.kind == FateKind::kSplit);
  CHECK(f.evidence == "third-party");
}

TEST_CASE("file ownership names the package a CentOS package was merged into", "[kb][fates]") {
  const auto kb = load_resolver_pack();
  const auto f = kb.package_fate(
      FateQuery{"hardlink", "hardlink", {"/usr/bin/hardlink", "/usr/bin/nothere"}, {}});
  CHECK(f.kind == FateKind::kMerged);
  CHECK(f.targets == std::vector<std::string>{"util-linux"});
  CHECK(f.evidence == "derived");
  CHECK_THAT(f.reason, Catch::Contains("util-linux owns /usr/bin/hardlink"));
  // Without the files the same name is removed (its source package is not in the target).
  CHECK(kb.package_fate(FateQuery{"hardlink", "hardlink", {}, {}}).kind == FateKind::kRemoved);
  // A soname the package provided is shipped by another target package: merged into it.
  const auto ssl =
      kb.package_fate(FateQuery{"openssl11-libs", "openssl11", {}, {"libssl.so.1.1()(64bit)"}});
  CHECK(ssl.kind == FateKind::kMerged);
  CHECK(ssl.targets == std::vector<std::string>{"openssl-libs"});
  CHECK_THAT(ssl.reason, Catch::Contains("openssl-libs owns libssl.so.1.1"));
  // Only the exact soname counts, and a soname nobody ships says nothing.
  CHECK(kb.package_fate(FateQuery{"openssl10-libs", "openssl10", {}, {"libssl.so.10()(64bit)"}})
            .kind == FateKind::kRemoved);
}

TEST_CASE("'removed' needs the source package to be gone too", "[kb][fates]") {
  const auto kb = load_resolver_pack();
  // rpm-python is not in the complete list, but its source package rpm still ships.
  auto f = kb.package_fate(FateQuery{"rpm-python", "rpm", {}, {}});
  CHECK(f.kind == FateKind::kUnknown);
  CHECK_THAT(f.reason, Catch::Contains("its source package rpm still ships"));
  f = kb.package_fate(FateQuery{"pyliblzma", "pyliblzma", {}, {}});
  CHECK(f.kind == FateKind::kRemoved);
  CHECK(f.evidence == "observed");
  const auto mix = kb.fate_evidence_mix();
  CHECK(mix.at("observed") > 0);
  CHECK(mix.at("third-party") > 0);
}
