// kb sync without a network: the merge of a mirror-built pack with a bundled one (dataset
// renumbering, kept and replaced facts, coverage, kb_version), the mirror layout of
// targets.json with a per-target override, and the +sync version the validator accepts.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "kb/model.hpp"
#include "kb/pack_format.hpp"
#include "kb/sync/mirror_layout.hpp"
#include "kb/sync/synced_pack.hpp"
#include "kb/validate.hpp"
#include "test_util.hpp"

using namespace premigrate::kb;
using nlohmann::json;
namespace t = premigrate::kb::test;

namespace {

json dataset(const std::string& id, const std::vector<std::string>& facts,
             std::uint64_t rows_in_pack) {
  return {{"id", id},
          {"facts", facts},
          {"importer", "curated"},
          {"name", id},
          {"origin", "t"},
          {"commit", ""},
          {"date", ""},
          {"licence", "x"},
          {"derived_from", ""},
          {"note", ""},
          {"files", json::array()},
          {"rows", rows_in_pack},
          {"rows_in_pack", rows_in_pack}};
}

json skeleton(json datasets) {
  json cov = json::object();
  for (const char* k : kFactKinds)
    cov[k] = {{"status", "unknown"},
              {"reason", std::string("bundled ") + k},
              {"datasets", json::array()}};
  json p = {{"schema_version", 1},
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
            {"datasets", std::move(datasets)},
            {"coverage", cov},
            {"kernel", {{"version", ""}, {"release_at_snapshot", ""}, {"dataset", nullptr}}},
            {"openssh", {{"version", ""}, {"dataset", nullptr}}}};
  for (const char* tb :
       {"binary_packages", "source_packages", "source_versions", "dropped_packages", "evolution",
        "provides", "files", "kabi", "source_kabi", "openssh_sshd_config", "openssh_ssh_config"})
    p[tb] = json::array();
  return p;
}

// Bundled: 0 the old binary list, 1 release-management, 2 source kABI, 3 provides + events,
// 4 the kernel branch.
json bundled() {
  auto p =
      skeleton({dataset("dnf", {"binary_packages"}, 2),
                dataset("rm", {"source_packages", "dropped_packages"}, 2),
                dataset("skabi", {"source_kabi"}, 1), dataset("mix", {"provides", "evolution"}, 3),
                dataset("branch", {"kernel"}, 1)});
  p["binary_packages"] = {{"old", "x86_64", "1-1", "os", "old", 0},
                          {"gone", "x86_64", "1-1", "os", "gone", 0}};
  p["source_packages"] = json::array({json::array({"old", "baseos", 1})});
  p["dropped_packages"] = json::array({json::array({"gone", 1})});
  p["source_kabi"] =
      json::array({json::array({"sym", "0x1", "vmlinux", "EXPORT_SYMBOL", true, 2})});
  p["provides"] = {{"cap", "rpm", "old", 3}, {"cap2", "rpm", "old", 3}};
  p["evolution"] = json::array(
      {json::array({"renamed", json::array({"a"}), "", json::array({"b"}), "", "7", "8", 3, ""})});
  p["kernel"] = {{"version", "5.10.0"}, {"release_at_snapshot", "5.10.0-1"}, {"dataset", 4}};
  p["coverage"]["source_kabi"] = {
      {"status", "partial"}, {"reason", "centos 7.7"}, {"datasets", json::array({"skabi"})}};
  return p;
}

json mirror(bool with_kernel) {
  auto p = skeleton(
      {dataset("mirror-everything", {"binary_packages", "files", "kernel", "provides"}, 4)});
  p["kb_version"] = "0.0.0";
  p["binary_packages"] =
      json::array({json::array({"new", "x86_64", "2-1", "everything", "new", 0})});
  p["provides"] = {{"old", "obsoletes", "new", 0}, {"old", "rpm", "new", 0}};
  p["files"] = json::array({json::array({"/usr/bin/new", "new", 0})});
  p["coverage"]["binary_packages"] = {{"status", "complete"},
                                      {"reason", "mirror"},
                                      {"datasets", json::array({"mirror-everything"})}};
  if (with_kernel)
    p["kernel"] = {{"version", "6.6.0"}, {"release_at_snapshot", "6.6.0-1"}, {"dataset", 0}};
  return p;
}

std::vector<std::string> ids(const json& p) {
  std::vector<std::string> out;
  for (const auto& d : p["datasets"]) out.push_back(d["id"]);
  return out;
}

}  // namespace

TEST_CASE("a synced pack keeps the bundled source side and renumbers its datasets", "[sync]") {
  const auto p = sync::merge_synced_pack(bundled(), mirror(true), "centos-7", "20250101T000000Z");
  CHECK(validate_pack(p, "synced").empty());
  // "dnf" fed only binary_packages and "branch" only the kernel: both replaced, so gone.
  CHECK(ids(p) == std::vector<std::string>{"rm", "skabi", "mix", "mirror-everything"});
  CHECK(p["datasets"][2]["facts"] == json::array({"evolution"}));
  CHECK(p["datasets"][2]["rows_in_pack"] == 1);  // 3 less its 2 replaced provides
  CHECK(p["source_packages"] == json::array({json::array({"old", "baseos", 0})}));
  CHECK(p["dropped_packages"] == json::array({json::array({"gone", 0})}));
  CHECK(p["source_kabi"][0][5] == 1);
  CHECK(p["evolution"][0][7] == 2);
  CHECK(p["binary_packages"] ==
        json::array({json::array({"new", "x86_64", "2-1", "everything", "new", 3})}));
  CHECK(p["provides"][0][3] == 3);
  CHECK(p["files"][0][2] == 3);
  CHECK(p["kernel"]["version"] == "6.6.0");
  CHECK(p["kernel"]["dataset"] == 3);
  CHECK(p["coverage"]["binary_packages"]["status"] == "complete");
  CHECK(p["coverage"]["source_kabi"]["reason"] == "centos 7.7");
  CHECK(p["kb_version"] == "1.2.3+sync.20250101T000000Z");
  CHECK(p["source_release"] == "centos-7");
}

TEST_CASE("without a kernel package on the mirror the bundled kernel stays", "[sync]") {
  const auto p = sync::merge_synced_pack(bundled(), mirror(false), "centos-8", "s");
  CHECK(validate_pack(p, "synced").empty());
  CHECK(ids(p) == std::vector<std::string>{"rm", "skabi", "mix", "branch", "mirror-everything"});
  CHECK(p["kernel"]["version"] == "5.10.0");
  CHECK(p["kernel"]["dataset"] == 3);
  CHECK(p["datasets"][4]["facts"] == json::array({"binary_packages", "files", "provides"}));
  CHECK(p["coverage"]["kernel"]["reason"] == "bundled kernel");
  CHECK(p["source_release"] == "centos-8");
}

TEST_CASE("a target without a bundled pack knows only the mirror's facts", "[sync]") {
  const auto p = sync::merge_synced_pack(json(), mirror(true), "centos-7", "s");
  CHECK(validate_pack(p, "synced").empty());
  CHECK(p["kb_version"] == "0.0.0+sync.s");
  CHECK(ids(p) == std::vector<std::string>{"mirror-everything"});
  CHECK(p["coverage"]["source_packages"]["status"] == "unknown");
  CHECK(p["coverage"]["source_packages"]["reason"].get<std::string>().find("no bundled pack") !=
        std::string::npos);
  CHECK(p["source_kabi"].empty());
}

TEST_CASE("kb_version may carry semver build metadata", "[sync]") {
  auto p = sync::merge_synced_pack(bundled(), mirror(true), "centos-7", "s");
  for (const char* bad : {"1.2.3+", "1.2.3+a b", "1.2+sync.x", "1.2.3+sync/x"}) {
    p["kb_version"] = bad;
    CHECK_FALSE(validate_pack(p, "p").empty());
  }
  p["kb_version"] = "1.2.3+sync.20250101T000000Z";
  CHECK(validate_pack(p, "p").empty());
}

TEST_CASE("the mirror layout: openEuler's by default, a target's own over it", "[sync]") {
  const TargetRelease sp4{"openeuler-22.03-lts-sp4", "openeuler", "openEuler 22.03 LTS SP4",
                          "openeuler-22.03",         true,        {22, 3, 4}};
  const auto l = sync::load_mirror_layout(PREMIGRATE_KB_DIR, sp4);
  CHECK(l.release_dir == "openEuler-22.03-LTS-SP4");
  CHECK(l.kernel_package == "kernel");
  const auto repos = sync::select_repos(l, "");
  REQUIRE(repos.size() == 4);
  CHECK(sync::repo_url("https://repo.openeuler.org/", l, repos[2], "aarch64") ==
        "https://repo.openeuler.org/openEuler-22.03-LTS-SP4/EPOL/main/aarch64/");
  CHECK(repos[1].complete);
  CHECK_FALSE(repos[0].complete);
  CHECK(sync::select_repos(l, "update,OS,update").size() == 2);
  CHECK_THROWS_AS(sync::select_repos(l, "OS,nope"), premigrate::core::UsageError);

  const auto dir = t::scratch("sync-layout");
  t::write(dir / "targets.json", R"({"schema_version": 1, "default_family": "oc",
    "mirror": {"repos": [{"name": "OS", "path": "OS/{arch}", "class": "os"}]},
    "targets": [{"id": "oc-9.2", "family": "oc", "name": "OpenCloudOS 9.2", "line": "oc-9", "lts": true,
                 "version": [9, 2], "mirror": {"release_dir": "9.2",
                 "repos": [{"name": "BaseOS", "path": "BaseOS/{arch}/os", "class": "os", "complete": true}]}}]})");
  const TargetRelease oc{"oc-9.2", "oc", "OpenCloudOS 9.2", "oc-9", true, {9, 2}};
  const auto lo = sync::load_mirror_layout(dir, oc);
  CHECK(lo.kernel_package.empty());
  REQUIRE(lo.repos.size() == 1);
  CHECK(sync::repo_url("file:///srv/m", lo, lo.repos[0], "x86_64") ==
        "file:///srv/m/9.2/BaseOS/x86_64/os/");
  CHECK(lo.default_repos == std::vector<std::string>{"BaseOS"});
  CHECK(sync::split_commas(",a,,b,") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("export lists from the mirror replace the bundled ones of the same sonames", "[sync]") {
  auto b = bundled();
  b["datasets"].push_back(dataset("exp-a", {"exports"}, 3));  // 5: libz (1 symbol) only
  b["datasets"].push_back(dataset("exp-b", {"exports"}, 2));  // 6: libc (1 symbol)
  b["export_libraries"] = {
      {"libc.so.6", "glibc", "2.38", "complete", json::array({"GLIBC_2.2.5"}), false, 6},
      {"libz.so.1", "zlib", "1.2.13", "versioned", json::array({"ZLIB_1.2.0"}), false, 5}};
  b["export_symbols"] = {{"libc.so.6", "GLIBC_2.2.5", "puts"},
                         {"libz.so.1", "ZLIB_1.2.0", "inflate"}};
  b["datasets"][5]["rows_in_pack"] = 2;
  b["coverage"]["exports"] = {{"status", "partial"},
                              {"reason", "upstream lists"},
                              {"datasets", json::array({"exp-a", "exp-b"})}};
  auto m = mirror(true);
  m["datasets"].push_back(dataset("mirror-exports", {"exports"}, 3));
  m["export_libraries"] =
      json::array({json::array({"libz.so.1", "zlib", "1.3", "complete",
                                json::array({"ZLIB_1.2.0", "ZLIB_1.3"}), false, 1})});
  m["export_symbols"] = {{"libz.so.1", "ZLIB_1.2.0", "inflate"},
                         {"libz.so.1", "ZLIB_1.3", "deflateBound"}};
  m["coverage"]["exports"] = {{"status", "partial"},
                              {"reason", "from the mirror's RPMs"},
                              {"datasets", json::array({"mirror-exports"})}};
  const auto p = sync::merge_synced_pack(b, m, "centos-7", "s");
  CHECK(validate_pack(p, "synced").empty());
  // exp-a fed only libz: gone; exp-b keeps libc.
  CHECK(ids(p) == std::vector<std::string>{"rm", "skabi", "mix", "exp-b", "mirror-everything",
                                           "mirror-exports"});
  CHECK(p["export_libraries"] ==
        json({{"libc.so.6", "glibc", "2.38", "complete", json::array({"GLIBC_2.2.5"}), false, 3},
              {"libz.so.1", "zlib", "1.3", "complete", json::array({"ZLIB_1.2.0", "ZLIB_1.3"}),
               false, 5}}));
  CHECK(p["export_symbols"] == json({{"libc.so.6", "GLIBC_2.2.5", "puts"},
                                     {"libz.so.1", "ZLIB_1.2.0", "inflate"},
                                     {"libz.so.1", "ZLIB_1.3", "deflateBound"}}));
  CHECK(p["coverage"]["exports"]["status"] == "partial");
  CHECK(p["coverage"]["exports"]["reason"] == "from the mirror's RPMs; upstream lists");
  CHECK(p["coverage"]["exports"]["datasets"] == json::array({"mirror-exports", "exp-b"}));
}
