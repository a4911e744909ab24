// A tree that changes while it is walked: entries swapped for symlinks to the outside, for other
// directories, or removed, exactly between the walker's lstat and its open (through the
// WalkOptions::before_open hook, so the race is deterministic, not timed).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "collect/files/walker.hpp"
#include "core/temp_dir.hpp"
#include "walk_fixture.hpp"

namespace fs = std::filesystem;
namespace files = premigrate::collect::files;
using premigrate::core::Diagnostics;
using premigrate::core::RootFs;
using premigrate::core::TempDir;
using walk_test::Recorder;
using walk_test::write;

namespace {

bool has_diag(const Diagnostics& d, const std::string& code, const std::string& path,
              const std::string& words) {
  for (const auto& x : d.sorted()) {
    if (x.code == code && x.path == path && x.message.find(words) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Something outside the root that a followed link would reveal.
fs::path make_outside(const fs::path& base) {
  fs::path out = base / "outside";
  write(out / "secret.sh", "#!/bin/sh\necho outside\n");
  write(out / "deeper/secret.txt", "outside\n");
  return out;
}

bool saw_outside(const Recorder& rec) {
  for (const auto& [path, seen] : rec.files) {
    if (path.find("secret") != std::string::npos) return true;
    if (seen.content.find("outside") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a directory swapped for a symlink to the outside mid-walk is not followed") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  const fs::path outside = make_outside(tmp.path());
  write(r / "srv/data/inside.txt", "inside\n");
  write(r / "etc/motd", "hello\n");
  int calls = 0;
  files::WalkOptions opts;
  opts.jobs = 2;
  opts.before_open = [&](const std::string& path) {
    if (path != "/srv/data") return;
    ++calls;
    fs::rename(r / "srv/data", r / "srv/data.old");
    fs::create_symlink(outside, r / "srv/data");
  };
  RootFs root(r);
  Diagnostics diags;
  Recorder rec;
  const auto s = files::walk(root, opts, nullptr, &rec, diags);
  CHECK(calls == 1);
  CHECK(has_diag(diags, "walk.changed", "/srv/data", "directory was replaced"));
  CHECK_FALSE(saw_outside(rec));
  CHECK(rec.files.count("/etc/motd") == 1);
  CHECK(rec.files.count("/srv/data/inside.txt") == 0);  // the old directory moved away
  CHECK(s.files == 1);
}

TEST_CASE("a directory swapped for another directory mid-walk is not entered") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "srv/a/a.txt", "a\n");
  write(r / "srv/b/b.txt", "b\n");
  files::WalkOptions opts;
  opts.before_open = [&](const std::string& path) {
    if (path != "/srv/a") return;
    fs::rename(r / "srv/a", r / "srv/a.old");
    fs::rename(r / "srv/b", r / "srv/a");  // same name, another inode
  };
  RootFs root(r);
  Diagnostics diags;
  Recorder rec;
  (void)files::walk(root, opts, nullptr, &rec, diags);
  CHECK(has_diag(diags, "walk.changed", "/srv/a", "directory was replaced"));
  CHECK(rec.files.count("/srv/a/a.txt") == 0);
  CHECK(rec.files.count("/srv/a/b.txt") == 0);
}

TEST_CASE("a file swapped for a symlink, a FIFO or removed mid-walk is not read") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  const fs::path outside = make_outside(tmp.path());
  write(r / "opt/app/link.sh", "#!/bin/sh\n");
  write(r / "opt/app/gone.txt", "gone\n");
  write(r / "opt/app/pipe", "soon a fifo\n");
  write(r / "opt/app/stays.txt", "stays\n");
  files::WalkOptions opts;
  opts.jobs = 2;
  opts.before_open = [&](const std::string& path) {
    if (path == "/opt/app/link.sh") {
      fs::remove(r / "opt/app/link.sh");
      fs::create_symlink(outside / "secret.sh", r / "opt/app/link.sh");
    } else if (path == "/opt/app/gone.txt") {
      fs::remove(r / "opt/app/gone.txt");
    } else if (path == "/opt/app/pipe") {
      fs::remove(r / "opt/app/pipe");
      REQUIRE(::mkfifo((r / "opt/app/pipe").c_str(), 0644) == 0);
    }
  };
  // In a child with a time limit: opening the FIFO for reading must not block the walk.
  const auto child = walk_test::run_in_child(
      [&] {
        RootFs root(r);
        Diagnostics diags;
        Recorder rec;
        (void)files::walk(root, opts, nullptr, &rec, diags);
        std::string out;
        for (const auto& [p, seen] : rec.files) out += "file\t" + p + "\t" + seen.content + "\n";
        for (const auto& d : diags.sorted())
          out += "diag\t" + d.code + "\t" + d.path + "\t" + d.message + "\n";
        return out;
      },
      20);
  REQUIRE(child.exited);
  const auto& out = child.output;
  INFO(out);
  CHECK(out.find("diag\twalk.changed\t/opt/app/link.sh\tfile was replaced by a symlink") !=
        std::string::npos);
  CHECK(out.find("diag\twalk.changed\t/opt/app/gone.txt\tfile was removed") != std::string::npos);
  CHECK(out.find("diag\twalk.changed\t/opt/app/pipe\tfile is no longer a regular file") !=
        std::string::npos);
  CHECK(out.find("file\t/opt/app/stays.txt\tstays\n") != std::string::npos);
  CHECK(out.find("outside") == std::string::npos);
  CHECK(out.find("file\t/opt/app/link.sh") == std::string::npos);
  CHECK(out.find("file\t/opt/app/pipe") == std::string::npos);
}
