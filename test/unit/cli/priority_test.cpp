// --low-priority: the scan and inventory commands lower the process's CPU priority (nice 19)
// and IO class (idle), read back with getpriority and ioprio_get. Each case runs the command
// in a forked child, since a priority once lowered cannot be raised again.
#include "core/priority.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "core/temp_dir.hpp"

namespace fs = std::filesystem;
namespace core = premigrate::core;

namespace {

struct Observed {
  int status = -1;  // the command's exit status
  int nice_before = 0, nice_after = 0;
  int io_before = 0, io_after = 0;
};

// Runs `body` in a child and reads back what it observed through a pipe.
Observed in_child(const std::function<int()>& body) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    ::alarm(600);  // the idle IO class may wait long behind other tests' IO on a busy machine
    Observed o;
    o.nice_before = core::nice_value();
    o.io_before = core::io_class();
    o.status = body();
    o.nice_after = core::nice_value();
    o.io_after = core::io_class();
    const bool ok = ::write(fds[1], &o, sizeof o) == static_cast<ssize_t>(sizeof o);
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  Observed o;
  const ssize_t n = ::read(fds[0], &o, sizeof o);
  ::close(fds[0]);
  int ws = 0;
  ::waitpid(pid, &ws, 0);
  REQUIRE(n == static_cast<ssize_t>(sizeof o));
  REQUIRE(WIFEXITED(ws));
  REQUIRE(WEXITSTATUS(ws) == 0);
  return o;
}

fs::path small_root(const fs::path& base) {
  fs::path r = base / "root";
  fs::create_directories(r / "etc");
  std::ofstream(r / "etc/os-release") << "ID=centos\nVERSION_ID=7\n";
  return r;
}

}  // namespace

TEST_CASE("lower_priority sets nice 19 and the idle IO class") {
  const auto o = in_child([] {
    const auto r = core::lower_priority();
    return r.cpu && r.io && r.problem.empty() ? 0 : 1;
  });
  CHECK(o.status == 0);
  CHECK(o.nice_after == core::kLowestNice);
  CHECK(o.io_after == core::kIoClassIdle);
  CHECK(o.io_before != core::kIoClassIdle);
}

TEST_CASE(
    "inventory --low-priority runs at nice 19 in the idle IO class, and without it unchanged") {
  core::TempDir tmp;
  const auto r = small_root(tmp.path());
  const auto out = tmp.path() / "inv.json";
  const auto low = in_child([&] {
    return premigrate::cli::run_inventory(
        {"--root", r.string(), "--low-priority", "--jobs", "2", "--output", out.string()});
  });
  CHECK(low.status == 0);
  CHECK(fs::file_size(out) > 0);
  CHECK(low.nice_after == core::kLowestNice);
  CHECK(low.io_after == core::kIoClassIdle);

  const auto normal = in_child([&] {
    return premigrate::cli::run_inventory({"--root", r.string(), "--output", out.string()});
  });
  CHECK(normal.status == 0);
  CHECK(normal.nice_after == normal.nice_before);
  CHECK(normal.io_after == normal.io_before);
  CHECK(normal.io_after != core::kIoClassIdle);
}

TEST_CASE("scan --low-priority lowers the priority before the scan") {
  core::TempDir tmp;
  const auto r = small_root(tmp.path());
  const auto o = in_child([&] {
    return premigrate::cli::run_scan({"--root", r.string(), "--low-priority", "--no-files",
                                      "--format", "json", "--output", (tmp.path() / "out").string(),
                                      "--progress", "never"});
  });
  CHECK((o.status == 0 || o.status == 3));
  CHECK(fs::exists(tmp.path() / "out/premigrate-report.json"));
  CHECK(o.nice_after == core::kLowestNice);
  CHECK(o.io_after == core::kIoClassIdle);
}
