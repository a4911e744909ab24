// The premigrate executable end to end: exit statuses, one-line errors, reports written,
// escaping of host strings, byte-identical JSON for the same root.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

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

fs::path fixture(const std::string& name) { return fs::path(PREMIGRATE_FIXTURE_DIR) / "rpm" / name; }

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
  CHECK(j["schema_version"] == 1);
  CHECK(r.err.empty());  // librpm's chatter never reaches the terminal
}

TEST_CASE("inventory of a corrupt rpmdb still succeeds and carries the diagnostic") {
  auto r = run("inventory --no-files --root " + quote(fixture("garbage-bdb-root").string()));
  REQUIRE(r.status == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["rpmdb"]["status"] == "corrupt");
  bool found = false;
  for (const auto& d : j["diagnostics"]) found = found || d["code"] == "rpmdb.corrupt";
  CHECK(found);
  CHECK(r.err.empty());
}

TEST_CASE("scan writes JSON, HTML and text reports, and the same root gives identical JSON") {
  premigrate::core::TempDir tmp;
  const auto o1 = tmp.path() / "r1";
  const auto o2 = tmp.path() / "r2";
  const std::string root = quote(fixture("sqlite-root").string());
  auto a = run("scan --no-files --root " + root + " --output " + quote(o1.string()));
  auto b = run("scan --no-files --root " + root + " --output " + quote(o2.string()));
  // Nothing was analysed, so there is no finding: exit 0, and the verdict says incomplete.
  CHECK(a.status == 0);
  CHECK(a.out.find("incomplete") != std::string::npos);
  CHECK(a.out.find((o1 / "premigrate-report.html").string()) != std::string::npos);
  for (const char* f : {"premigrate-report.json", "premigrate-report.html", "premigrate-report.txt"}) {
    CHECK(fs::exists(o1 / f));
  }
  CHECK(slurp(o1 / "premigrate-report.json") == slurp(o2 / "premigrate-report.json"));
  auto j = nlohmann::json::parse(slurp(o1 / "premigrate-report.json"));
  CHECK(j["generated_at"] == "2023-11-14T22:13:20Z");  // SOURCE_DATE_EPOCH
  REQUIRE(j["verdicts"].size() == 2);
  for (const auto& v : j["verdicts"]) {
    CHECK(v["verdict"] == "incomplete");
    CHECK_FALSE(v["checks_not_run"].empty());
  }
  CHECK(j["inventory_summary"]["packages"] == 4);
  CHECK(j["inventory_summary"]["packages_unsigned"] == 3);
}

TEST_CASE("format and arch flags select what is written") {
  premigrate::core::TempDir tmp;
  auto r = run("scan --no-files --root " + quote(fixture("sqlite-root").string()) +
               " --format json --arch aarch64 --output " + quote(tmp.path().string()));
  CHECK(r.status == 0);
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
  auto r = run("scan --no-files --root " + quote(hostile.string()) + " --output " +
               quote(out.string()));
  REQUIRE(r.status == 0);
  const auto html = slurp(out / "premigrate-report.html");
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  // Self-contained: no external resource is referenced.
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
}

TEST_CASE("a non-writable output directory is a tool error") {
  auto r = run("scan --no-files --root " + quote(fixture("sqlite-root").string()) +
               " --output /proc/premigrate-cannot-write");
  CHECK(r.status == 1);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("/proc/premigrate-cannot-write") != std::string::npos);
}
