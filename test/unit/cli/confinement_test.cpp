// The scanned root is hostile (issue 17): a symlink swapped in during the scan, FIFOs and
// devices at every path read by name, symlinks in the output directory, an output directory
// inside the root, a sparse rpmdb, the CI gate on an incomplete verdict, strict arguments.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/temp_dir.hpp"
#include "run_cli.hpp"

namespace fs = std::filesystem;
using premigrate::test_cli::run_premigrate;
using premigrate::test_cli::slurp;
using premigrate::test_cli::write;

namespace {

constexpr const char* kSecret = "host-secret-7f3a";

// Every report format of `out`, concatenated (the secret must be in none of them).
std::string all_outputs(const fs::path& out) {
  std::string s;
  if (fs::exists(out))
    for (const auto& e : fs::directory_iterator(out)) s += slurp(e.path());
  return s;
}

bool has_diag_for(const nlohmann::json& report, const std::string& path) {
  for (const auto& d : report["diagnostics"])
    if (d["path"].get<std::string>().find(path) != std::string::npos) return true;
  return false;
}

// Swaps two names atomically (a directory and a symlink, a file and a FIFO) until stopped.
class Swapper {
 public:
  Swapper(fs::path a, fs::path b) : a_(std::move(a)), b_(std::move(b)) {
    thread_ = std::thread([this] {
      while (!stop_) {
        if (::renameat2(AT_FDCWD, a_.c_str(), AT_FDCWD, b_.c_str(), RENAME_EXCHANGE) == 0) ++swaps_;
      }
    });
  }
  ~Swapper() {
    stop_ = true;
    thread_.join();
  }
  [[nodiscard]] long swaps() const { return swaps_; }

 private:
  fs::path a_, b_;
  std::atomic<bool> stop_{false};
  std::atomic<long> swaps_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE("a symlink or FIFO swapped in during the scan never leads out of the root") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  const fs::path host = tmp.path() / "host";
  // The host's secrets: an sshd_config whose unknown keyword the OpenSSH check would echo, and a
  // real rpmdb whose packages would appear in the inventory.
  write(host / "ssh/sshd_config", std::string("HostSecretKeyword yes\nBanner ") + kSecret + "\n");
  write(host / "ssh/ssh_config", std::string("Host ") + kSecret + "\n");
  const fs::path real_rpmdb = fs::path(PREMIGRATE_FIXTURE_DIR) / "rpm/sqlite-root/var/lib/rpm";
  REQUIRE(fs::exists(real_rpmdb / "rpmdb.sqlite"));
  fs::create_directories(host / "rpm");
  fs::copy_file(real_rpmdb / "rpmdb.sqlite", host / "rpm/rpmdb.sqlite");

  write(r / "etc/os-release", "ID=centos\nVERSION_ID=7\n");
  write(r / "etc/ssh/sshd_config", "Protocol 2\n");
  fs::create_symlink(host / "ssh", r / "etc/.ssh-swap");  // absolute host path
  fs::create_directories(r / "var/lib/rpm");
  fs::create_symlink(host / "rpm", r / "var/lib/.rpm-swap");
  write(r / "etc/yum.conf", "[main]\n");
  REQUIRE(::mkfifo((r / "etc/.yum-fifo").c_str(), 0644) == 0);

  const fs::path log = tmp.path() / "log";
  long swaps = 0;
  {
    Swapper ssh(r / "etc/ssh", r / "etc/.ssh-swap");
    Swapper rpm(r / "var/lib/rpm", r / "var/lib/.rpm-swap");
    Swapper fifo(r / "etc/yum.conf", r / "etc/.yum-fifo");
    for (int i = 0; i < 10; ++i) {
      const fs::path out = tmp.path() / ("out" + std::to_string(i));
      const int status = run_premigrate(
          {"scan", "--root", r.string(), "--output", out.string(), "--arch", "x86_64", "--format",
           "json,html,text", "--no-files", "--source", "centos-7"},
          60, log);
      CAPTURE(i, slurp(log));
      REQUIRE((status == 0 || status == 3));  // finished: no hang on the FIFO, no crash
      const std::string text = all_outputs(out);
      CHECK(text.find(kSecret) == std::string::npos);
      CHECK(text.find("HostSecretKeyword") == std::string::npos);
      const auto report = nlohmann::json::parse(slurp(out / "premigrate-report.json"));
      CHECK(report["inventory_summary"]["packages"] == 0);
    }
    swaps = ssh.swaps() + rpm.swaps() + fifo.swaps();
  }
  CHECK(swaps > 100);  // the race really ran during the scans
}

TEST_CASE("FIFOs, devices and links to them at paths read by name: a diagnostic names the path") {
  const std::vector<std::string> paths = {"/etc/os-release",
                                          "/etc/centos-release",
                                          "/etc/default/grub",
                                          "/etc/selinux/config",
                                          "/etc/crontab",
                                          "/etc/ld.so.conf",
                                          "/etc/ssh/sshd_config",
                                          "/etc/ssh/ssh_config",
                                          "/etc/yum.conf",
                                          "/etc/dnf/dnf.conf",
                                          "/etc/yum.repos.d/extra.repo",
                                          "/boot/grub2/grubenv",
                                          "/var/lib/rpm/Packages",
                                          "/etc/modules-load.d/x.conf"};
  for (const std::string kind : {"fifo", "device", "link"}) {
    premigrate::core::TempDir tmp;
    const fs::path r = tmp.path() / "root";
    bool made = true;
    int n = 0;
    for (const auto& p : paths) {
      const fs::path at = r / p.substr(1);
      fs::create_directories(at.parent_path());
      if (kind == "fifo") {
        REQUIRE(::mkfifo(at.c_str(), 0644) == 0);
      } else if (kind == "device") {
        made = made && ::mknod(at.c_str(), S_IFCHR | 0644, makedev(1, 3)) == 0;
      } else {  // a link to a FIFO elsewhere in the root: the diagnostic names the path asked for
        const fs::path fifo = r / "special" / ("fifo" + std::to_string(n++));
        fs::create_directories(fifo.parent_path());
        REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
        fs::create_symlink("/special/" + fifo.filename().string(), at);
      }
    }
    if (!made) {
      WARN("device nodes cannot be made here (not root, or no CAP_MKNOD): that variant skipped");
      continue;
    }
    const fs::path out = tmp.path() / "out";
    const fs::path log = tmp.path() / "log";
    const int status = run_premigrate({"scan", "--root", r.string(), "--output", out.string(),
                                       "--source", "centos-7", "--format", "json"},
                                      60, log);
    CAPTURE(kind, slurp(log));
    REQUIRE((status == 0 || status == 3));
    const auto report = nlohmann::json::parse(slurp(out / "premigrate-report.json"));
    for (const auto& p : paths) {
      CAPTURE(p);
      CHECK(has_diag_for(report, p));
    }
  }
}

TEST_CASE("reports replace symlinks in the output directory and never write into the root") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/os-release", "ID=centos\nVERSION_ID=7\n");
  const fs::path victim = tmp.path() / "victim";
  write(victim, "keep me");
  const fs::path out = tmp.path() / "out";
  fs::create_directories(out);
  for (const char* f : {"premigrate-report.json", "premigrate-report.html", "premigrate-report.txt",
                        "premigrate-report.junit.xml", "premigrate-report.sarif"})
    fs::create_symlink(victim, out / f);
  const int status = run_premigrate({"scan", "--root", r.string(), "--output", out.string(),
                                     "--format", "json,html,text,junit,sarif", "--no-files"},
                                    60);
  REQUIRE((status == 0 || status == 3));
  CHECK(slurp(victim) == "keep me");
  int files = 0;
  for (const auto& e : fs::directory_iterator(out)) {
    CHECK_FALSE(fs::is_symlink(e.symlink_status()));
    CHECK(e.path().filename().string().rfind('.', 0) != 0);  // no temporary file left behind
    ++files;
  }
  CHECK(files >= 5);

  // --output inside the root (directly, or through a link that leads there): refused.
  fs::create_symlink(r / "srv", tmp.path() / "alias");
  for (const fs::path& inside : {r / "srv/reports", tmp.path() / "alias/reports"}) {
    const fs::path log = tmp.path() / "log";
    CHECK(run_premigrate({"scan", "--root", r.string(), "--output", inside.string()}, 60, log) ==
          2);
    CHECK(slurp(log).find("inside the scanned root") != std::string::npos);
    CHECK_FALSE(fs::exists(r / "srv"));
  }
  CHECK(run_premigrate({"inventory", "--root", r.string(), "-o", (r / "inv.json").string()}, 60) ==
        2);
  CHECK_FALSE(fs::exists(r / "inv.json"));
}

TEST_CASE("a sparse multi-gigabyte rpmdb is refused, not copied, and no temporary copy is left") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/os-release", "ID=centos\nVERSION_ID=7\n");
  fs::create_directories(r / "var/lib/rpm");
  {
    // Berkeley DB hash magic at offset 12, then a hole to 3 GiB.
    const int fd = ::open((r / "var/lib/rpm/Packages").c_str(), O_WRONLY | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    unsigned char head[16] = {0};
    head[12] = 0x61, head[13] = 0x15, head[14] = 0x06, head[15] = 0x00;
    REQUIRE(::write(fd, head, sizeof head) == sizeof head);
    REQUIRE(::ftruncate(fd, 3LL << 30) == 0);
    ::close(fd);
  }
  const fs::path scratch = tmp.path() / "tmpdir";
  fs::create_directories(scratch);
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", scratch.c_str(), 1);
  const fs::path out = tmp.path() / "out";
  const int status = run_premigrate({"scan", "--root", r.string(), "--output", out.string(),
                                     "--format", "json", "--max-file-size", "64M"},
                                    120);
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  REQUIRE((status == 0 || status == 3));
  const auto report = nlohmann::json::parse(slurp(out / "premigrate-report.json"));
  CHECK(report["host"]["rpmdb"]["status"] == "unreadable");
  CHECK(report["host"]["rpmdb"]["message"].get<std::string>().find("larger than --max-file-size") !=
        std::string::npos);
  CHECK(fs::is_empty(scratch));
}

TEST_CASE("the gate fails on an incomplete verdict unless --allow-incomplete") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/os-release", "ID=centos\nVERSION_ID=7\n");
  write(r / "var/lib/rpm/Packages", std::string(4096, 'x'));  // corrupt: packages not checked
  const fs::path out = tmp.path() / "out";
  const fs::path log = tmp.path() / "log";
  const std::vector<std::string> base = {"scan",     "--root", r.string(), "--output", out.string(),
                                         "--format", "json",   "--arch",   "x86_64"};
  auto with = [&](std::vector<std::string> extra) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return run_premigrate(a, 60, log);
  };
  CHECK(with({"--fail-on", "blocker"}) == 6);
  CHECK(slurp(log).find("incomplete") != std::string::npos);
  const auto report = nlohmann::json::parse(slurp(out / "premigrate-report.json"));
  REQUIRE(report["verdicts"].size() == 1);
  CHECK(report["verdicts"][0]["verdict"] == "incomplete");
  const int allowed = with({"--fail-on", "blocker", "--allow-incomplete"});
  CHECK((allowed == 0 || allowed == 4));
  CHECK(with({"--allow-incomplete"}) == 2);  // means nothing without a gate
}

TEST_CASE("numbers, dates and positional arguments are validated strictly") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/os-release", "ID=centos\nVERSION_ID=7\n");
  const std::string out = (tmp.path() / "out").string();
  const fs::path log = tmp.path() / "log";
  const std::vector<std::vector<std::string>> usage_errors = {
      {"--jobs", "-1"}, {"--jobs", "100000"}, {"--jobs", "two"},         {"--target", ""},
      {"--output", ""}, {"/mnt/image"},       {"--max-file-size", "12Q"}};
  for (const auto& extra : usage_errors) {
    std::vector<std::string> args = {"scan", "--root", r.string(), "--output", out, "--no-files"};
    args.insert(args.end(), extra.begin(), extra.end());
    CAPTURE(extra);
    CHECK(run_premigrate(args, 60, log) == 2);
    CHECK(slurp(log).find("usage error") != std::string::npos);
  }
  write(tmp.path() / "waivers.yaml",
        "schema_version: 1\nwaivers:\n  - rule: PM-PKG-001\n    reason: test\n    owner: me\n    "
        "expires: 2026-13-45\n");
  CHECK(run_premigrate({"scan", "--root", r.string(), "--output", out, "--no-files", "--waivers",
                        (tmp.path() / "waivers.yaml").string()},
                       60, log) == 1);
  CHECK(slurp(log).find("2026-13-45") != std::string::npos);
  CHECK(run_premigrate({"inventory", "--root", r.string(), "--no-files", "extra"}, 60, log) == 2);
}

TEST_CASE("an sshd_config too large to read lists the OpenSSH check as not run") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/os-release", "ID=centos\nVERSION_ID=7\n");
  write(r / "etc/ssh/sshd_config", std::string(5 << 20, '#'));  // over the 4 MiB read limit
  const fs::path out = tmp.path() / "out";
  const int status =
      run_premigrate({"scan", "--root", r.string(), "--output", out.string(), "--format", "json",
                      "--arch", "x86_64", "--no-files", "--source", "centos-7"},
                     60);
  REQUIRE((status == 0 || status == 3));
  const auto report = nlohmann::json::parse(slurp(out / "premigrate-report.json"));
  bool listed = false;
  for (const auto& c : report["verdicts"][0]["checks_not_run"])
    listed = listed ||
             (c["check"] == "openssh-keywords" &&
              c["reason"].get<std::string>().find("/etc/ssh/sshd_config") != std::string::npos);
  CHECK(listed);
  CHECK(report["verdicts"][0]["verdict"] == "incomplete");
}
