// RootFs resolves every path inside the scanned root, whatever the symlinks say.
#include "core/root_fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/errors.hpp"
#include "core/temp_dir.hpp"

namespace fs = std::filesystem;
using premigrate::core::ResolveStatus;
using premigrate::core::RootFs;

namespace {
void touch(const fs::path& p, const std::string& text = "x") {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}
}  // namespace

TEST_CASE("normalize never climbs above the root") {
  CHECK(RootFs::normalize("/a/b/../c") == "/a/c");
  CHECK(RootFs::normalize("../../etc/shadow") == "/etc/shadow");
  CHECK(RootFs::normalize("//a/./b//") == "/a/b");
  CHECK(RootFs::normalize("") == "/");
}

TEST_CASE("symlinks resolve inside the root") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  touch(r / "usr/lib/sysimage/rpm/rpmdb.sqlite");
  touch(r / "etc/shadow", "inside");
  fs::create_directories(r / "var/lib");
  fs::create_symlink("../../usr/lib/sysimage/rpm", r / "var/lib/rpm");
  fs::create_symlink("/etc/shadow", r / "abs");                  // absolute: re-rooted
  fs::create_symlink("../../../../../../etc/shadow", r / "up");  // climbs: stopped at root
  fs::create_symlink("loop2", r / "loop1");
  fs::create_symlink("loop1", r / "loop2");
  fs::create_symlink("missing", r / "dangling");
  RootFs root(r);

  SECTION("relative link through a directory") {
    auto res = root.resolve("/var/lib/rpm/rpmdb.sqlite");
    REQUIRE(res.ok());
    CHECK(res.root_path == "/usr/lib/sysimage/rpm/rpmdb.sqlite");
    CHECK_FALSE(res.escaped_attempt);
  }
  SECTION("absolute target is re-rooted") {
    auto res = root.resolve("/abs");
    REQUIRE(res.ok());
    CHECK(res.root_path == "/etc/shadow");
    CHECK(res.escaped_attempt);
  }
  SECTION("dot-dot stops at the root") {
    auto res = root.resolve("/up");
    REQUIRE(res.ok());
    CHECK(res.root_path == "/etc/shadow");
    CHECK(res.escaped_attempt);
  }
  SECTION("a loop is reported, not followed forever") {
    CHECK(root.resolve("/loop1").status == ResolveStatus::kLoop);
  }
  SECTION("a dangling link is not found; lstat semantics keep the link") {
    CHECK(root.resolve("/dangling").status == ResolveStatus::kNotFound);
    auto res = root.resolve("/dangling", false);
    REQUIRE(res.ok());
    CHECK(res.root_path == "/dangling");
  }
  SECTION("a file used as a directory") {
    CHECK(root.resolve("/etc/shadow/x").status == ResolveStatus::kNotDir);
  }
}

TEST_CASE("a missing root is a run-level error naming the path") {
  premigrate::core::TempDir tmp;
  try {
    RootFs root(tmp.path() / "nope");
    FAIL("expected RunError");
  } catch (const premigrate::core::RunError& e) {
    CHECK(std::string(e.what()).find("nope") != std::string::npos);
  }
}

namespace {
std::string read_all(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}
}  // namespace

TEST_CASE("open_regular reads through links inside the root and never opens a FIFO") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  const fs::path outside = tmp.path() / "host-secret";
  touch(outside, "host");
  touch(r / "etc/shadow", "inside");
  fs::create_symlink("/etc/shadow", r / "abs");
  fs::create_symlink(outside, r / "etc/out");  // absolute host path: re-rooted, not followed
  REQUIRE(::mkfifo((r / "etc/fifo").c_str(), 0600) == 0);
  fs::create_symlink("fifo", r / "etc/to-fifo");
  RootFs root(r);

  auto a = root.open_regular("/abs");
  REQUIRE(a.error == 0);
  CHECK(a.root_path == "/etc/shadow");
  CHECK(read_all(a.fd.get()) == "inside");

  auto o = root.open_regular("/etc/out");
  CHECK(o.error == ENOENT);  // <root><tmp>/host-secret does not exist inside the root
  CHECK_FALSE(o.fd.valid());

  // A FIFO opened for reading would block the scan forever: the type is checked first.
  for (const char* p : {"/etc/fifo", "/etc/to-fifo"}) {
    auto f = root.open_regular(p);
    CHECK(f.error != 0);
    CHECK_FALSE(f.fd.valid());
    CHECK(S_ISFIFO(f.st.st_mode));
  }
  auto d = root.open_regular("/etc");
  CHECK(d.error == EISDIR);
  auto dir = root.open_directory("/etc");
  CHECK(dir.error == 0);
  CHECK(dir.fd.valid());
}

TEST_CASE("open_canonical refuses a symlink swapped into an already resolved path") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  touch(r / "var/lib/rpm/Packages", "db");
  touch(tmp.path() / "host/Packages", "host");
  RootFs root(r);
  const auto res = root.resolve("/var/lib/rpm/Packages");
  REQUIRE(res.ok());
  // The attacker replaces a directory of the resolved path by a link to the host.
  fs::remove_all(r / "var/lib/rpm");
  fs::create_symlink(tmp.path() / "host", r / "var/lib/rpm");
  int err = 0;
  auto fd = root.open_canonical(res.root_path, O_RDONLY | O_CLOEXEC, err);
  CHECK_FALSE(fd.valid());
  CHECK(err == ELOOP);
  // Resolving again re-roots the absolute link: the host file stays out of reach.
  auto again = root.open_regular("/var/lib/rpm/Packages");
  CHECK_FALSE(again.fd.valid());
}

TEST_CASE("contains_host_path tells an output directory inside the scanned root") {
  premigrate::core::TempDir tmp;
  const fs::path r = tmp.path() / "root";
  fs::create_directories(r / "srv");
  fs::create_symlink(r / "srv", tmp.path() / "alias");
  RootFs root(r);
  CHECK(root.contains_host_path(r));
  CHECK(root.contains_host_path(r / "srv/reports"));       // need not exist yet
  CHECK(root.contains_host_path(tmp.path() / "alias/x"));  // through a link
  fs::create_symlink(r / "not-yet", tmp.path() / "dangling");
  CHECK(root.contains_host_path(tmp.path() / "dangling/reports"));  // mkdir -p would go there
  CHECK_FALSE(root.contains_host_path(tmp.path() / "reports"));
  CHECK_FALSE(root.contains_host_path(tmp.path() / "rootx"));
}
