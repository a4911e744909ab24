// `premigrate kb` through cli::run_kb: determinism of build, byte identity with the checked-in
// packs (needs ../shared), validate and info.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "kb/pack_format.hpp"
#include "support/skip.hpp"
#include "test_util.hpp"

using premigrate::cli::run_kb;
namespace t = premigrate::kb::test;
const std::string kKb = PREMIGRATE_KB_DIR;

namespace {

// Runs `premigrate kb ...` with std::cout captured; the exit status goes to rc.
std::string run_captured(const std::vector<std::string>& args, int& rc) {
  std::ostringstream captured;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  try {
    rc = run_kb(args);
  } catch (...) {
    std::cout.rdbuf(old);
    throw;
  }
  std::cout.rdbuf(old);
  return captured.str();
}

}  // namespace

TEST_CASE("kb build is deterministic and takes the date from --date or SOURCE_DATE_EPOCH",
          "[kb][cli]") {
  if (!t::have_sources()) {
    PREMIGRATE_SKIP(t::kb_sources() << " not present");
  }
  const std::string manifest = kKb + "/manifests/centos-8_to_openeuler-24.03-lts-sp1_aarch64.json";
  const auto a = t::scratch("build_a"), b = t::scratch("build_b");
  ::unsetenv("SOURCE_DATE_EPOCH");
  REQUIRE(run_kb({"build", "--kb", kKb, "--sources", t::kb_sources().string(), "--out", a.string(),
                  "--date", "2020-01-02", "--manifest", manifest}) == 0);
  REQUIRE(run_kb({"build", "--kb", kKb, "--sources", t::kb_sources().string(), "--out", b.string(),
                  "--date", "2020-01-02", "--manifest", manifest}) == 0);
  const auto name = "centos-8_to_openeuler-24.03-lts-sp1_aarch64.json";
  const auto text = premigrate::kb::read_text_file(a / name);
  CHECK(text == premigrate::kb::read_text_file(b / name));
  CHECK(text.find("\"build_date\": \"2020-01-02\"") != std::string::npos);
  ::setenv("SOURCE_DATE_EPOCH", "86400", 1);
  REQUIRE(run_kb({"build", "--kb", kKb, "--sources", t::kb_sources().string(), "--out", b.string(),
                  "--manifest", manifest}) == 0);
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK(premigrate::kb::read_text_file(b / name).find("\"build_date\": \"1970-01-02\"") !=
        std::string::npos);
  REQUIRE_THROWS_AS(run_kb({"build", "--kb", kKb, "--sources", t::kb_sources().string(), "--out",
                            b.string(), "--date", "yesterday", "--manifest", manifest}),
                    premigrate::core::UsageError);
}

TEST_CASE("kb build from ../shared reproduces the checked-in packs byte for byte",
          "[kb][cli][slow]") {
  if (!t::have_sources()) {
    PREMIGRATE_SKIP(t::kb_sources() << " not present; the checked-in packs are used as they are");
  }
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK(run_kb({"build", "--check", "--kb", kKb, "--sources", t::kb_sources().string()}) == 0);
}

TEST_CASE("kb build names the bad input file and line", "[kb][cli]") {
  const auto dir = t::scratch("badsrc");
  t::write(dir / "kb/targets.json", premigrate::kb::read_text_file(kKb + "/targets.json"));
  t::write(dir / "src/wl", "[_x]\n  a b\n");
  const auto m =
      t::write(dir / "kb/manifests/m.json", R"({"schema_version": 1, "kb_version": "1.0.0",
    "default_build_date": "2025-01-15", "source_release": "centos-7", "target": "openeuler-24.03-lts",
    "arch": "x86_64", "unknown_reasons": {}, "datasets": [{"id": "k", "importer": "kabi",
    "inputs": {"whitelist": "wl"}, "name": "n", "origin": "o", "licence": "l",
    "facts": {"kabi": {"coverage": "complete", "reason": ""}}}]})");
  REQUIRE_THROWS_WITH(run_kb({"build", "--kb", (dir / "kb").string(), "--sources",
                              (dir / "src").string(), "--out", (dir / "out").string()}),
                      Catch::Contains((dir / "src/wl").string() + ":2:"));
}

TEST_CASE("kb info shows the evidence mix of the fates per pack", "[kb][cli]") {
  int rc = -1;
  const auto out = run_captured(
      {"info", "--kb", kKb, "--target", "openeuler-22.03-lts-sp3", "--source", "centos-7"}, rc);
  CHECK(rc == 0);
  // One line per pack (x86_64 and aarch64): 22.03 SP3 x86_64 rests on its own dnf list
  // (observed), aarch64 on the list derived from it.
  std::istringstream lines(out);
  std::vector<std::string> mix;
  for (std::string line; std::getline(lines, line);)
    if (line.find("fate evidence (") != std::string::npos) mix.push_back(line);
  REQUIRE(mix.size() == 2);
  CHECK_THAT(
      mix[0],
      Catch::Matches(
          R"(  fate evidence \(\d+ names\): observed [1-9]\d* derived \d+ third-party [1-9]\d* none \d+)"));
  CHECK_THAT(
      mix[1],
      Catch::Matches(
          R"(  fate evidence \(\d+ names\): observed 0 derived [1-9]\d* third-party [1-9]\d* none \d+)"));
}

TEST_CASE("kb validate, kb info and usage errors", "[kb][cli]") {
  const auto good = t::scratch("valid");
  const std::string one = "centos-8_to_openeuler-24.03-lts-sp1_aarch64.json";
  t::write(good / "packs" / one, premigrate::kb::read_text_file(kKb + "/packs/" + one));
  CHECK(run_kb({"validate", good.string()}) == 0);  // all shipped packs: packs_test.cpp
  const auto dir = t::scratch("invalid");
  t::write(dir / "packs/x.json", "{\"schema_version\": 1}");
  CHECK(run_kb({"validate", dir.string()}) != 0);
  CHECK(run_kb({"info", "--kb", kKb, "--target", "openeuler-22.03", "--arch", "aarch64"}) == 0);
  REQUIRE_THROWS_AS(run_kb({"info", "--kb", kKb, "--target", "openeuler-99.03"}),
                    premigrate::core::UsageError);
  REQUIRE_THROWS_AS(run_kb({"frobnicate"}), premigrate::core::UsageError);
  REQUIRE_THROWS_AS(run_kb({"validate"}), premigrate::core::UsageError);
  // Every subcommand answers --help (exit 0) instead of treating it as an unknown option.
  for (const char* sub : {"build", "info", "validate"}) {
    int rc = -1;
    const auto out = run_captured({sub, "--help"}, rc);
    CHECK(rc == 0);
    CHECK_THAT(out, Catch::Contains("usage: premigrate kb build") &&
                        Catch::Contains(std::string("kb ") + sub));
  }
}
