// The premigrate executable end to end: exit statuses, one-line errors, reports written,
// escaping of host strings, byte-identical JSON for the same root.
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

Run run(const std::string& args, const std::string& env = "SOURCE_DATE_EPOCH=1700000000") {
  premigrate::core::TempDir tmp;
  const auto out = tmp.path() / "out";
  const auto err = tmp.path() / "err";
  const std::string cmd = env + " " + quote(PREMIGRATE_BIN) + " " + args + " >" +
                          quote(out.string()) + " 2>" + quote(err.string());
  int rc = std::system(cmd.c_str());
  Run r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

fs::path fixture(const std::string& name) {
  return fs::path(PREMIGRATE_FIXTURE_DIR) / "rpm" / name;
}

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("version and help flags") {
  auto v = run("--version");
  CHECK(v.status == 0);
  CHECK(v.out.rfind("premigrate ", 0) == 0);
  auto h = run("--help");
  CHECK(h.status == 0);
  CHECK(h.out.find("Exit status") != std::string::npos);
  auto sh = run("scan --help");
  CHECK(sh.status == 0);
  CHECK(sh.out.find("--fail-on") != std::string::npos);
  CHECK(sh.out.find("--root") != std::string::npos);
  CHECK(run("inventory --help").out.find("--no-files") != std::string::npos);
  CHECK(run("inventory --help").out.find("--low-priority") != std::string::npos);
  CHECK(sh.out.find("--low-priority") != std::string::npos);
}

TEST_CASE("usage errors exit 2 with one line naming the problem") {
  auto none = run("");
  CHECK(none.status == 2);
  auto bad = run("frobnicate");
  CHECK(bad.status == 2);
  CHECK(count_lines(bad.err) == 1);
  CHECK(bad.err.find("frobnicate") != std::string::npos);
  auto opt = run("scan --no-such-option");
  CHECK(opt.status == 2);
  CHECK(count_lines(opt.err) == 1);
  auto arch = run("scan --root " + quote(fixture("sqlite-root").string()) + " --arch sparc");
  CHECK(arch.status == 2);
  CHECK(arch.err.find("sparc") != std::string::npos);
  auto gate = run("scan --root " + quote(fixture("sqlite-root").string()) + " --fail-on info");
  CHECK(gate.status == 2);
  CHECK(run("inventory --max-file-size 12Q").status == 2);
  CHECK(run("inventory --max-file-size 99999999999999999999999").status == 2);  // not a throw
  CHECK(run("inventory --max-file-size 17179869184G").status == 2);             // would wrap around
}

TEST_CASE("a missing root is a tool error: exit 1, one line naming the path") {
  auto r = run("inventory --root /nonexistent/premigrate-root");
  CHECK(r.status == 1);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("/nonexistent/premigrate-root") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("inventory prints the packages of the root as JSON") {
  auto r = run("inventory --no-files --root " + quote(fixture("bdb-root").string()));
  REQUIRE(r.status == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["rpmdb"]["backend"] == "bdb");
  CHECK(j["packages"].size() == 4);
  CHECK(j["packages"][0]["name"] == "acme-agent");  // sorted by name
  CHECK(j["schema_version"] == 2);
  CHECK(r.err.empty());  // librpm's chatter never reaches the terminal
}

TEST_CASE("inventory of a corrupt rpmdb writes the JSON and exits 5 naming the collector") {
  auto r = run("inventory --no-files --root " + quote(fixture("garbage-bdb-root").string()));
  CHECK(r.status == 5);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["rpmdb"]["status"] == "corrupt");
  bool found = false;
  for (const auto& d : j["diagnostics"]) found = found || d["code"] == "rpmdb.corrupt";
  CHECK(found);
  CHECK(r.err.rfind("premigrate: collector rpmdb failed: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line, nothing from librpm
}

TEST_CASE("inventory of an ndb rpmdb exits 5 and says ndb is not read") {
  auto r = run("inventory --no-files --root " + quote(fixture("ndb-root").string()));
  CHECK(r.status == 5);
  CHECK(nlohmann::json::parse(r.out)["rpmdb"]["status"] == "unsupported");
  CHECK(r.err.find("collector rpmdb failed: rpm ndb database found at /var/lib/rpm/Packages.db") !=
        std::string::npos);
}

TEST_CASE("inventory of a root without an rpmdb exits 0: nothing failed, rpmdb skipped") {
  auto r = run("inventory --no-files --root " + quote(fixture("no-rpmdb-root").string()));
  CHECK(r.status == 0);
  CHECK(nlohmann::json::parse(r.out)["rpmdb"]["status"] == "missing");
  CHECK(r.err.empty());
}

TEST_CASE("scan writes JSON, HTML and text reports, and the same root gives identical JSON") {
  premigrate::core::TempDir tmp;
  const auto o1 = tmp.path() / "r1";
  const auto o2 = tmp.path() / "r2";
  const std::string root = quote(fixture("sqlite-root").string());
  auto a = run("scan --no-files --root " + root + " --output " + quote(o1.string()));
  auto b = run("scan --no-files --root " + root + " --output " + quote(o2.string()));
  // The root has no release file: the source is undetected (a high finding, exit 3), the checks
  // that need the KB did not run, and the verdict says incomplete.
  CHECK(a.status == 3);
  CHECK(a.out.find("incomplete") != std::string::npos);
  CHECK(a.out.find((o1 / "premigrate-report.html").string()) != std::string::npos);
  for (const char* f :
       {"premigrate-report.json", "premigrate-report.html", "premigrate-report.txt"}) {
    CHECK(fs::exists(o1 / f));
  }
  CHECK(slurp(o1 / "premigrate-report.json") == slurp(o2 / "premigrate-report.json"));
  auto j = nlohmann::json::parse(slurp(o1 / "premigrate-report.json"));
  CHECK(j["generated_at"] == "2023-11-14T22:13:20Z");  // SOURCE_DATE_EPOCH
  REQUIRE(j["verdicts"].size() == 2);
  for (const auto& v : j["verdicts"]) {
    CHECK(v["verdict"] == "incomplete");
    CHECK_FALSE(v["checks_not_run"].empty());
    CHECK(v["score_bound"] == "at_most");
  }
  // The undetected source on both architectures, and the x86_64 host moving to aarch64.
  REQUIRE(j["findings"].size() == 2);
  CHECK(j["findings"][0]["rule_id"] == "PM-HOST-001");
  CHECK(j["findings"][0]["archs"] == nlohmann::json({"x86_64", "aarch64"}));
  CHECK(j["findings"][1]["rule_id"] == "PM-HOST-004");
  CHECK(j["findings"][1]["archs"] == nlohmann::json({"aarch64"}));
  CHECK(j["inventory_summary"]["packages"] == 4);
  CHECK(j["inventory_summary"]["packages_unsigned"] == 3);
}

TEST_CASE("format and arch flags select what is written") {
  premigrate::core::TempDir tmp;
  auto r = run("scan --no-files --root " + quote(fixture("sqlite-root").string()) +
               " --format json --arch aarch64 --output " + quote(tmp.path().string()));
  CHECK(r.status == 3);  // the undetected source release is a finding
  CHECK(fs::exists(tmp.path() / "premigrate-report.json"));
  CHECK_FALSE(fs::exists(tmp.path() / "premigrate-report.html"));
  auto j = nlohmann::json::parse(slurp(tmp.path() / "premigrate-report.json"));
  REQUIRE(j["verdicts"].size() == 1);
  CHECK(j["verdicts"][0]["arch"] == "aarch64");
}

TEST_CASE("host strings are escaped in HTML and made inert in the terminal") {
  premigrate::core::TempDir tmp;
  // A root whose very name is markup, with a copy of a fixture rpmdb inside.
  const auto hostile = tmp.path() / "<img src=x onerror=alert(1)>";
  fs::create_directories(hostile / "var/lib");
  fs::copy(fixture("bdb-root") / "var/lib/rpm", hostile / "var/lib/rpm");
  const auto out = tmp.path() / "out";
  auto r =
      run("scan --no-files --root " + quote(hostile.string()) + " --output " + quote(out.string()));
  REQUIRE(r.status == 3);
  const auto html = slurp(out / "premigrate-report.html");
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  // Self-contained: nothing is loaded from elsewhere (references are plain text).
  for (const char* load : {" src=\"", " src='", "<link", "@import", "url(", "<iframe", "<object"}) {
    INFO(load);
    CHECK(html.find(load) == std::string::npos);
  }
}

TEST_CASE("a non-writable output directory is a tool error") {
  auto r = run("scan --no-files --root " + quote(fixture("sqlite-root").string()) +
               " --output /proc/premigrate-cannot-write");
  CHECK(r.status == 1);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("/proc/premigrate-cannot-write") != std::string::npos);
}

namespace {

nlohmann::json scan_json(const std::string& extra, int* status = nullptr, Run* out = nullptr) {
  premigrate::core::TempDir tmp;
  auto r = run("scan --no-files --format json --root " + quote(fixture("sqlite-root").string()) +
               " --output " + quote(tmp.path().string()) + " " + extra);
  if (status) *status = r.status;
  if (out) *out = r;
  if (!fs::exists(tmp.path() / "premigrate-report.json")) return nullptr;
  return nlohmann::json::parse(slurp(tmp.path() / "premigrate-report.json"));
}

std::vector<std::string> rule_ids(const nlohmann::json& j) {
  std::vector<std::string> v;
  for (const auto& f : j["findings"]) v.push_back(f["rule_id"]);
  return v;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("scan with a source release judges third-party packages against the KB") {
  int st = -1;
  auto j = scan_json("--source centos-7 --target openeuler-22.03-lts-sp3", &st);
  REQUIRE(j.is_object());
  CHECK(st == 3);
  CHECK(j["target"] == "openeuler-22.03-lts-sp3");
  CHECK(j["source"] == "centos-7");
  CHECK(j["kb"]["kb_version"].is_string());
  REQUIRE(j["kb"]["packs"].size() == 2);
  const auto ids = rule_ids(j);
  CHECK(has(ids, "PM-3RD-001"));
  CHECK_FALSE(has(ids, "PM-HOST-001"));
  std::set<std::string> libssl_archs;
  for (const auto& f : j["findings"]) {
    bool named = f["subject"] == "libssl.so.10()(64bit)";
    for (const auto& e : f["evidence"]) named = named || e["subject"] == "libssl.so.10()(64bit)";
    if (named) {
      for (const auto& a : f["archs"]) libssl_archs.insert(a.get<std::string>());
      bool needer = false;
      for (const auto& e : f["evidence"])
        needer = needer || e["subject"] == "acme-agent-2:3.1.4-7.el7.x86_64";
      CHECK(needer);
    }
    CHECK(f["id"].get<std::string>().rfind("F-", 0) == 0);
  }
  // Both architectures have a binary package list (aarch64's derived from x86_64's), so the
  // dependency check ran for both and found the missing soname on both (as its own finding, or
  // as evidence of the ELF check's finding when an object needs the same soname).
  CHECK(libssl_archs == std::set<std::string>{"x86_64", "aarch64"});
  for (const auto& v : j["verdicts"]) {
    bool deps_not_run = false;
    for (const auto& c : v["checks_not_run"])
      deps_not_run = deps_not_run || c["check"] == "third-party-dependencies";
    CHECK_FALSE(deps_not_run);
  }
}

TEST_CASE(
    "a re-signing key given with --trust-key counts as the source distribution's, and is listed") {
  const auto key =
      slurp(fs::path(PREMIGRATE_FIXTURE_DIR) / "rpm" / "expected" / "signing-key-id.txt");
  const std::string id = key.substr(0, key.find('\n'));
  REQUIRE(id.size() == 16);
  auto third_party = [](const nlohmann::json& j, const std::string& name) {
    for (const auto& f : j["findings"])
      if (f["rule_id"] == "PM-3RD-001" && f["subject"] == name) return true;
    return false;
  };
  // centos-demo has the CentOS vendor but is signed with the fixture's throw-away key.
  auto plain = scan_json("--source centos-7 --target openeuler-22.03-lts-sp3");
  REQUIRE(plain.is_object());
  CHECK(third_party(plain, "centos-demo"));
  CHECK_FALSE(plain.contains("trusted_keys_added"));
  Run r;
  auto trusted =
      scan_json("--source centos-7 --target openeuler-22.03-lts-sp3 --trust-key 0x" +
                    std::string(1, static_cast<char>(std::toupper(id[0]))) + id.substr(1),
                nullptr, &r);
  REQUIRE(trusted.is_object());
  CHECK_FALSE(third_party(trusted, "centos-demo"));
  CHECK(third_party(trusted, "acme-agent"));  // other vendors stay third-party
  CHECK(trusted["trusted_keys_added"] == nlohmann::json({id}));
  CHECK_THAT(r.out, Catch::Contains("trusted: " + id));
  int st = -1;
  (void)scan_json("--trust-key nothex", &st, &r);
  CHECK(st == 2);
  CHECK_THAT(r.err, Catch::Contains("--trust-key must be a 16-hex-digit OpenPGP key id"));
}

TEST_CASE("unknown targets and sources are run errors: exit 1, one line") {
  Run r;
  scan_json("--target openeuler-99.99", nullptr, &r);
  CHECK(r.status == 1);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("openeuler-99.99") != std::string::npos);
  scan_json("--source centos-5", nullptr, &r);
  CHECK(r.status == 1);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("centos-5") != std::string::npos);
}

TEST_CASE("custom rule folders add rules, and a bad rule file is a run error naming it") {
  premigrate::core::TempDir tmp;
  const auto dir = tmp.path() / "rules";
  fs::create_directories(dir);
  std::ofstream(dir / "ACME-001.yaml") << R"(schema_version: 1
id: ACME-001
title: In-house tool installed
category: local
severity: medium
condition: {kind: package_installed, names: [inhouse-tool]}
message: "{nevra} is installed"
remediation: Port it.
rationale: Local policy.
references: [https://example.org/policy]
)";
  auto j = scan_json("--source centos-7 --rules " + quote(dir.string()));
  REQUIRE(j.is_object());
  CHECK(has(rule_ids(j), "ACME-001"));
  CHECK(has(rule_ids(j), "PM-3RD-001"));  // the built-in rules still apply
  auto without = scan_json("--source centos-7");
  CHECK_FALSE(has(rule_ids(without), "ACME-001"));

  std::ofstream(dir / "BAD-001.yaml")
      << "schema_version: 1\nid: BAD-001\ncondition: {kind: nope}\n";
  Run r;
  scan_json("--source centos-7 --rules " + quote(dir.string()), nullptr, &r);
  CHECK(r.status == 1);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("BAD-001.yaml") != std::string::npos);
}

TEST_CASE(
    "waiver files mark findings waived, expired waivers are reported, the gate honours them") {
  premigrate::core::TempDir tmp;
  const auto w = tmp.path() / "waivers.yaml";
  std::ofstream(w) << R"(schema_version: 1
waivers:
  - {rule: PM-3RD-001, subject: "*", reason: vendor supported, owner: ops, expires: 2099-01-01}
  - {rule: PM-3RD-003, subject: "*", reason: checked by hand, owner: ops, expires: 2099-01-01}
  - {rule: PM-PKG-011, subject: "centos-demo", reason: old, owner: dev, expires: 2020-01-01}
)";
  int st = -1;
  auto j = scan_json("--source centos-7 --waivers " + quote(w.string()) + " --fail-on high", &st);
  REQUIRE(j.is_object());
  int waived = 0;
  for (const auto& f : j["findings"]) {
    if (f["rule_id"] == "PM-3RD-001" || f["rule_id"] == "PM-3RD-003") {
      CHECK(f["waived"] == true);
      CHECK(f["waiver_owner"] == "ops");
      ++waived;
    }
  }
  CHECK(waived >= 4);
  CHECK(has(rule_ids(j), "PM-WVR-001"));
  // With the high third-party findings waived, only the aarch64 architecture finding is high.
  CHECK(st == 4);
  // No blocker, but a check could not run for some architecture: the gate does not pass an
  // incomplete verdict (6) unless told to.
  auto strict =
      scan_json("--source centos-7 --waivers " + quote(w.string()) + " --fail-on blocker", &st);
  bool incomplete = false;
  for (const auto& v : strict["verdicts"]) incomplete = incomplete || v["verdict"] == "incomplete";
  CHECK(st == (incomplete ? 6 : 0));
  auto lenient = scan_json(
      "--source centos-7 --waivers " + quote(w.string()) + " --fail-on blocker --allow-incomplete",
      &st);
  CHECK(st == 0);
}
