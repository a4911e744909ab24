// A hostile root end to end: links out of the root (absolute, ../.., to a real rpmdb on this
// machine), a link loop, FIFOs (one where the rpmdb should be), a device node, a sparse file
// above the size limit, names with a newline, invalid UTF-8 and markup. The scan must finish,
// read nothing outside the root, and write valid, escaped reports with diagnostics.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/temp_dir.hpp"
#include "run_cli.hpp"

namespace fs = std::filesystem;

namespace {

using premigrate::test_cli::slurp;
using premigrate::test_cli::write;

int scan(const fs::path& root, const fs::path& out, int limit_seconds) {
  return premigrate::test_cli::run_premigrate(
      {"scan", "--root", root.string(), "--output", out.string(), "--max-file-size", "1M", "--jobs",
       "2"},
      limit_seconds);
}

bool diag_names(const nlohmann::json& report, const std::string& code, const std::string& path) {
  for (const auto& d : report["diagnostics"]) {
    if (d["code"] == code && d["path"].get<std::string>().find(path) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("a hostile root: the scan finishes inside the root and reports what happened") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  const fs::path real_rpmdb = fs::path(PREMIGRATE_FIXTURE_DIR) / "rpm/sqlite-root/var/lib/rpm";
  REQUIRE(fs::exists(real_rpmdb / "rpmdb.sqlite"));
  write(r / "etc/os-release", "ID=centos\nVERSION_ID=7\n");
  // The rpmdb directory links to a real rpmdb of this machine by absolute path: re-rooted,
  // it names nothing inside the root, so no package may be read from it.
  fs::create_directories(r / "var/lib");
  fs::create_symlink(real_rpmdb, r / "var/lib/rpm");
  fs::create_symlink("/etc/shadow", r / "etc/shadow-link");
  fs::create_symlink("../../../../../../../../etc/passwd", r / "etc/passwd-up");
  fs::create_directories(r / "opt");
  fs::create_symlink("loop-b", r / "opt/loop-a");
  fs::create_symlink("loop-a", r / "opt/loop-b");
  REQUIRE(::mkfifo((r / "opt/pipe").c_str(), 0644) == 0);
  fs::create_directories(r / "usr/lib/sysimage/rpm");
  REQUIRE(::mkfifo((r / "usr/lib/sysimage/rpm/rpmdb.sqlite").c_str(), 0644) == 0);
  const bool have_dev = ::mknod((r / "opt/null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;
  {
    std::ofstream big(r / "opt/sparse.img");
    big.seekp((2LL << 20) - 1);
    big.put('\0');
  }
  write(r / "opt/app/bin/report\nnewline", "#!/usr/bin/python\n");
  fs::permissions(r / "opt/app/bin/report\nnewline", fs::perms::owner_all);
  write(r / "opt/app/bin/bad\xff\xfe", "#!/bin/sh\n");
  fs::permissions(r / "opt/app/bin/bad\xff\xfe", fs::perms::owner_all);
  write(r / "opt/app/<script>alert(1)<", "x");
  // A 900 kB line where a rule's regex looks (std::regex recursed per character: stack overflow
  // from about 30 kB on; the file stays under the scan's 1M size limit).
  write(r / "etc/yum.conf", "[main]\ndistroverpkg=" + std::string(900'000, 'a') + " centos\n");

  const fs::path out = tmp.path() / "out";
  const int status = scan(r, out, 60);
  REQUIRE((status == 0 || status == 3));  // completed (with or without findings)

  const auto report = nlohmann::json::parse(slurp(out / "premigrate-report.json"));
  // Nothing was read through the link to the real rpmdb, nor from the FIFO in its place.
  CHECK(report["inventory_summary"]["packages"] == 0);
  CHECK(report["host"]["rpmdb"]["status"] != "ok");
  CHECK(diag_names(report, "rpmdb.corrupt", "/usr/lib/sysimage/rpm/rpmdb.sqlite"));
  CHECK(diag_names(report, "walk.too_large", "/opt/sparse.img"));
  CHECK(diag_names(report, "analyze.long_text", "/etc/yum.conf:2"));
  const auto walk = report["inventory_summary"]["walk"];
  CHECK(walk["special"].get<int>() >= (have_dev ? 3 : 2));  // FIFOs and the device, unopened
  CHECK(walk["skipped_too_large"] == 1);
  bool listed = false;  // the skipped file is also in the report's "not checked" list
  for (const auto& v : report["verdicts"])
    for (const auto& c : v["checks_not_run"])
      listed = listed || c["reason"].get<std::string>().find(
                             "1 file larger than --max-file-size") != std::string::npos;
  CHECK(listed);
  CHECK(report["host"]["facts"]["source_release"] == "centos-7");

  const auto html = slurp(out / "premigrate-report.html");
  CHECK(html.find("<script>alert(1)") == std::string::npos);
  const auto text = slurp(out / "premigrate-report.txt");
  CHECK(text.find('\x1b') == std::string::npos);
}
