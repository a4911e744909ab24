// RootFs resolves every path inside the scanned root, whatever the symlinks say.
#include "core/root_fs.hpp"

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
  fs::create_symlink("/etc/shadow", r / "abs");                // absolute: re-rooted
  fs::create_symlink("../../../../../../etc/shadow", r / "up");  // climbs: stopped at root
  fs::create_symlink("loop2", r / "loop1");
  fs::create_symlink("loop1", r / "loop2");
  fs::create_symlink("missing", r / "dangling");
  RootFs root(r);

  SECTION("relative link through a directory") {
    auto res = root.resolve("/var/lib/rpm/rpmdb.sqlite");
    REQUIRE(res.ok());
    CHECK(res.root_path == "/usr/lib/sysimage/rpm/rpmdb.sqlite");
    CHECK(res.host_path == r / "usr/lib/sysimage/rpm/rpmdb.sqlite");
    CHECK_FALSE(res.escaped_attempt);
  }
  SECTION("absolute target is re-rooted") {
    auto res = root.resolve("/abs");
    REQUIRE(res.ok());
    CHECK(res.root_path == "/etc/shadow");
    CHECK(res.host_path == r / "etc/shadow");
    CHECK(res.escaped_attempt);
  }
  SECTION("dot-dot stops at the root") {
    auto res = root.resolve("/up");
    REQUIRE(res.ok());
    CHECK(res.host_path == r / "etc/shadow");
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
