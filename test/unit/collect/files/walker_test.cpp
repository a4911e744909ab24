// The walk stays inside the root, never blocks on special files, and reports what it skipped.
#include "collect/files/walker.hpp"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/temp_dir.hpp"
#include "support/skip.hpp"
#include "walk_fixture.hpp"

namespace fs = std::filesystem;
namespace files = premigrate::collect::files;
using premigrate::core::Diagnostics;
using premigrate::core::RootFs;
using premigrate::core::TempDir;
using walk_test::Recorder;
using walk_test::write;

namespace {

bool has_diag(const Diagnostics& d, const std::string& code, const std::string& path) {
  for (const auto& x : d.sorted()) {
    if (x.code == code && x.path == path) return true;
  }
  return false;
}

std::string diag_lines(const Diagnostics& d) {
  std::string out;
  for (const auto& x : d.sorted()) out += x.code + "\t" + x.path + "\t" + x.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("walk visits regular files and sniffs ELF and shebang headers") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "usr/bin/tool", std::string("\x7f"
                                        "ELF\x02\x01\x01",
                                        7) +
                                std::string(100, '\0'));
  write(r / "usr/bin/run.sh", "#!/bin/sh\necho hi\n");
  write(r / "etc/motd", "hello\n");
  fs::create_directories(r / "var/empty");
  RootFs root(r);
  Diagnostics diags;
  Recorder rec;
  files::WalkOptions opts;
  opts.jobs = 3;
  auto s = files::walk(root, opts, nullptr, &rec, diags);
  CHECK(s.files == 3);
  CHECK(s.directories == 6);  // /, etc, usr, usr/bin, var, var/empty
  CHECK(s.elf_objects == 1);
  CHECK(s.unpackaged_files == 3);
  REQUIRE(rec.files.size() == 3);
  CHECK(rec.files["/usr/bin/tool"].kind == files::FileKind::kElf);
  CHECK(rec.files["/usr/bin/run.sh"].kind == files::FileKind::kShebang);
  CHECK(rec.files["/etc/motd"].kind == files::FileKind::kOther);
  CHECK(rec.files["/etc/motd"].content == "hello\n");
  CHECK(diags.size() == 0);
}

TEST_CASE("symlinks are recorded, never followed, and cannot lead out of the root") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(tmp.path() / "outside/secret.txt", "SECRET-OUTSIDE");
  write(r / "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  fs::create_symlink("/etc/shadow", r / "shadow");            // the host's file, re-rooted
  fs::create_symlink(tmp.path() / "outside", r / "abs_out");  // absolute host path
  fs::create_symlink("../outside", r / "esc");                // climbs above the root
  fs::create_symlink("../../../../../../etc", r / "etc/up");  // climbs far above
  fs::create_symlink("loop2", r / "loop1");
  fs::create_symlink("loop1", r / "loop2");
  fs::create_symlink("..", r / "etc/parent");  // a directory loop if links were followed
  RootFs root(r);
  Diagnostics diags;
  Recorder rec;
  auto s = files::walk(root, {}, nullptr, &rec, diags);
  CHECK(s.symlinks == 7);
  CHECK(s.files == 1);
  REQUIRE(rec.files.size() == 1);
  CHECK(rec.files.count("/etc/passwd") == 1);
  for (const auto& [path, seen] : rec.files) {
    CHECK(seen.content.find("SECRET-OUTSIDE") == std::string::npos);
    CHECK(seen.content.find("root:") == 0);  // only the root's own passwd was read
  }
  CHECK(rec.links["/esc"] == "../outside");
  CHECK(rec.links["/shadow"] == "/etc/shadow");
  CHECK(has_diag(diags, "walk.symlink_escape", "/esc"));
  CHECK(has_diag(diags, "walk.symlink_escape", "/etc/up"));
  CHECK_FALSE(has_diag(diags, "walk.symlink_escape", "/etc/parent"));  // ".." from /etc is fine
  CHECK_FALSE(has_diag(diags, "walk.symlink_escape", "/shadow"));      // absolute: re-rooted
}

TEST_CASE("FIFOs, sockets and device nodes are counted but never opened") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/a.conf", "a=1\n");
  fs::create_directories(r / "var/spool");
  REQUIRE(::mkfifo((r / "var/spool/fifo").c_str(), 0644) == 0);
  std::size_t specials = 1;
  if (::mknod((r / "var/spool/null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
    ++specials;
  } else {
    WARN("device node part not run, mknod is not permitted here (" << std::strerror(errno) << ")");
  }
  RootFs root(r);
  // Opening a FIFO for reading without O_NONBLOCK would block forever: run the walk in a child
  // killed after 20 s, so a regression fails this test instead of hanging the suite.
  auto res = walk_test::run_in_child(
      [&] {
        Diagnostics diags;
        Recorder rec;
        auto s = files::walk(root, {}, nullptr, &rec, diags);
        std::ostringstream o;
        o << s.special << " " << s.files << " " << rec.files.size() << " " << diags.size();
        return o.str();
      },
      20);
  REQUIRE(res.exited);
  CHECK(res.output == std::to_string(specials) + " 1 1 0");
}

TEST_CASE("unreadable files and directories become diagnostics naming the path") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/ok.conf", "ok\n");
  write(r / "etc/secret.conf", "no\n");
  write(r / "srv/locked/inner.txt", "x\n");
  fs::permissions(r / "etc/secret.conf", fs::perms::none);
  fs::permissions(r / "srv/locked", fs::perms::none);
  // Tests run as root, which bypasses permission bits: the walk runs in a child that first
  // drops its effective uid (and with it CAP_DAC_OVERRIDE) to nobody.
  fs::permissions(tmp.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  RootFs root(r);
  auto res = walk_test::run_in_child(
      [&] {
        if (::geteuid() == 0 && (::setegid(65534) != 0 || ::seteuid(65534) != 0)) {
          return std::string("cannot drop privileges");
        }
        Diagnostics diags;
        Recorder rec;
        auto s = files::walk(root, {}, nullptr, &rec, diags);
        return std::to_string(s.unreadable) + "\n" + std::to_string(rec.files.size()) + "\n" +
               diag_lines(diags);
      },
      20);
  REQUIRE(res.exited);
  INFO(res.output);
  CHECK(res.output.find("2\n1\n") == 0);  // two unreadable entries, one file read
  CHECK(res.output.find("walk.unreadable\t/etc/secret.conf\tPermission denied") !=
        std::string::npos);
  CHECK(res.output.find("walk.unreadable\t/srv/locked\tPermission denied") != std::string::npos);
}

TEST_CASE("hostile file names are walked as bytes and reported printably") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  const std::string nl = "evil\nname";
  const std::string bad = "bad\xff\xfe.conf";
  write(r / "etc" / nl, "one\n");
  write(r / "etc" / bad, std::string(64, 'x'));
  RootFs root(r);
  Diagnostics diags;
  Recorder rec;
  files::WalkOptions opts;
  opts.max_file_size = 32;  // makes the second name show up in a diagnostic
  auto s = files::walk(root, opts, nullptr, &rec, diags);
  CHECK(s.files == 2);
  REQUIRE(rec.files.count("/etc/" + nl) == 1);  // the visitor gets the raw bytes
  CHECK(rec.files["/etc/" + nl].content == "one\n");
  REQUIRE(has_diag(diags, "walk.too_large", "/etc/bad\\xff\\xfe.conf"));
  nlohmann::json j = nlohmann::json::array();
  for (const auto& d : diags.sorted()) j.push_back(d.path);
  CHECK_NOTHROW(j.dump());
}

TEST_CASE("excludes and the size limit skip what they name, with a trace") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "var/log/messages.log", "log\n");
  write(r / "var/cache/big/blob", "cache\n");
  write(r / "opt/app/data.bin", std::string(2048, 'd'));
  write(r / "opt/app/small.txt", "small\n");
  RootFs root(r);
  Diagnostics diags;
  Recorder rec;
  files::WalkOptions opts;
  opts.excludes = {"*.log", "/var/cache"};
  opts.max_file_size = 1024;
  auto s = files::walk(root, opts, nullptr, &rec, diags);
  CHECK(rec.files.size() == 1);
  CHECK(rec.files.count("/opt/app/small.txt") == 1);
  CHECK(s.skipped_too_large == 1);
  CHECK(has_diag(diags, "walk.too_large", "/opt/app/data.bin"));
  REQUIRE(s.skipped_mounts.size() == 1);
  CHECK(s.skipped_mounts[0] == "/var/cache (excluded)");
}

TEST_CASE(
    "an image's proc, sys, dev and run are ordinary directories; pseudo fs types are skipped") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "proc/1/status", "x\n");
  write(r / "sys/kernel/x", "x\n");
  write(r / "dev/null-ish", "x\n");
  write(r / "run/lock/pid", "1\n");
  write(r / "etc/hostname", "h\n");
  RootFs root(r);
  Diagnostics diags;
  Recorder rec;
  auto s = files::walk(root, {}, nullptr, &rec, diags);
  // Only the live host's / has kernel file systems at those names; in an extracted image
  // they are plain directories whose files are part of what is migrated.
  CHECK(rec.files.size() == 5);
  CHECK(s.skipped_mounts.empty());
  CHECK(files::is_pseudo_path("/proc"));
  CHECK(files::is_pseudo_path("/sys/fs"));
  CHECK_FALSE(files::is_pseudo_path("/procfs"));
  CHECK_FALSE(files::is_pseudo_path("/usr/dev"));
  CHECK(files::is_pseudo_fs_type(0x9fa0, "/anything"));        // proc
  CHECK(files::is_pseudo_fs_type(0x01021994, "/run/user/0"));  // tmpfs under /run
  CHECK_FALSE(files::is_pseudo_fs_type(0x01021994, "/"));      // tmpfs as the root
  CHECK_FALSE(files::is_pseudo_fs_type(0xEF53, "/"));          // ext4
}

TEST_CASE("one_file_system stays on the root's device") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/hostname", "h\n");
  fs::create_directories(r / "mnt/other");
  walk_test::Mount mount(r / "mnt/other", "premigrate-test", "tmpfs", 0, "size=1m");
  if (!mount.ok) {
    PREMIGRATE_SKIP("cannot mount a tmpfs here (" << mount.error << ")");
  }
  write(r / "mnt/other/file", "on another fs\n");
  RootFs root(r);
  Diagnostics diags;
  {
    Recorder rec;
    files::WalkOptions opts;
    opts.one_file_system = true;
    auto s = files::walk(root, opts, nullptr, &rec, diags);
    CHECK(rec.files.size() == 1);
    CHECK(s.skipped_mounts == std::vector<std::string>{"/mnt/other (other file system)"});
  }
  {
    Recorder rec;
    auto s = files::walk(root, {}, nullptr, &rec, diags);
    CHECK(rec.files.size() == 2);
    CHECK(s.skipped_mounts.empty());
  }
}

// readdir's d_type describes the entry under a mount, not what is mounted on it: a device
// bind-mounted over a regular file's name still lists as DT_REG. It must not be opened.
TEST_CASE("a device bind-mounted over a file's name is counted as special, never opened") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "opt/app/masked", "a regular file under the mount\n");
  write(r / "opt/app/plain", "plain\n");
  walk_test::Mount mount(r / "opt/app/masked", "/dev/null", nullptr, MS_BIND, nullptr);
  if (!mount.ok) {
    PREMIGRATE_SKIP("cannot bind-mount here (" << mount.error << ")");
  }
  RootFs root(r);
  for (unsigned jobs : {1U, 2U}) {
    Diagnostics diags;
    Recorder rec;
    files::WalkOptions opts;
    opts.jobs = jobs;
    std::vector<std::string> opened;
    std::mutex mu;
    opts.before_open = [&](const std::string& path) {
      std::lock_guard lock(mu);
      opened.push_back(path);
    };
    const auto s = files::walk(root, opts, nullptr, &rec, diags);
    CHECK(s.files == 1);
    CHECK(s.special == 1);
    CHECK(rec.files.count("/opt/app/plain") == 1);
    CHECK(rec.files.count("/opt/app/masked") == 0);
    CHECK(std::find(opened.begin(), opened.end(), "/opt/app/masked") == opened.end());
    CHECK(diags.size() == 0);
  }
}

// Queued files keep their directory open; the number in flight is capped, so the descriptors
// a walk holds stay bounded whatever the number of workers (a 96-core host gets 96 workers).
TEST_CASE("open descriptors stay bounded with many workers and many directories") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  for (int d = 0; d < 1500; ++d) write(r / "srv" / ("d" + std::to_string(d)) / "f", "x\n");
  auto open_fds = [] {
    return static_cast<long>(
        std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator()));
  };
  RootFs root(r);  // holds the root's descriptor for the whole scan, counted in `before`
  const long before = open_fds();
  long peak = before;
  std::mutex mu;
  files::WalkOptions opts;
  opts.jobs = 48;
  opts.before_open = [&](const std::string& path) {
    if (path.size() < 2 || path.compare(path.size() - 2, 2, "/f") != 0) return;  // a directory
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // slow workers: the walk runs ahead
    const long n = open_fds();
    std::lock_guard lock(mu);
    peak = std::max(peak, n);
  };
  Diagnostics diags;
  Recorder rec;
  const auto s = files::walk(root, opts, nullptr, &rec, diags);
  CHECK(s.files == 1500);
  CHECK(rec.files.size() == 1500);
  CHECK(diags.size() == 0);
  // 256 files in flight (each may hold its own directory), the walk's depth, one file per
  // worker, and the iterator's own descriptor: about 310. Without the cap: (16 + 1 + 48) * 16.
  CAPTURE(peak - before);
  CHECK(peak - before <= 256 + 8 + 48 + 2);
  CHECK(open_fds() == before);
}

TEST_CASE("start paths resolve inside the root and follow a directory symlink") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "usr/lib64/libx.so.1", "lib\n");
  write(r / "etc/hostname", "h\n");
  fs::create_symlink("usr/lib64", r / "lib64");
  RootFs root(r);
  Diagnostics diags;
  Recorder rec;
  files::WalkOptions opts;
  opts.paths = {"/lib64", "/missing"};
  auto s = files::walk(root, opts, nullptr, &rec, diags);
  CHECK(s.files == 1);
  CHECK(rec.files.count("/usr/lib64/libx.so.1") == 1);
  CHECK(has_diag(diags, "walk.start", "/missing"));
}

TEST_CASE("the same tree gives the same result whatever the number of workers") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  for (int d = 0; d < 8; ++d) {
    for (int f = 0; f < 40; ++f) {
      write(r / ("d" + std::to_string(d)) / ("f" + std::to_string(f)),
            (f % 3 == 0 ? "#!/bin/sh\n" : "data ") + std::to_string(d * 100 + f));
    }
  }
  RootFs root(r);
  Diagnostics d1, d8;
  Recorder r1, r8;
  files::WalkOptions o1, o8;
  o1.jobs = 1;
  o8.jobs = 8;
  auto open_fds = [] {
    return std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator());
  };
  const auto fds_before = open_fds();
  auto s1 = files::walk(root, o1, nullptr, &r1, d1);
  auto s8 = files::walk(root, o8, nullptr, &r8, d8);
  // Files travel in batches with a shared descriptor of their directory: all closed after.
  CHECK(open_fds() == fds_before);
  CHECK(s1.files == 320);
  CHECK(s8.files == 320);
  CHECK(r1.files.size() == 320);
  bool same = r1.files.size() == r8.files.size();
  for (const auto& [p, seen] : r1.files) {
    same = same && r8.files.count(p) == 1 && r8.files[p].content == seen.content &&
           r8.files[p].kind == seen.kind;
  }
  CHECK(same);
}
