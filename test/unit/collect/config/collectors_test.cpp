// Collectors over built roots: services, cron, and %config state against real digests.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "collect/config/config_files.hpp"
#include "collect/config/cron.hpp"
#include "collect/config/services.hpp"
#include "collect/files/confined_io.hpp"
#include "core/temp_dir.hpp"

namespace fs = std::filesystem;
namespace cfg = premigrate::collect::config;
namespace files = premigrate::collect::files;
using premigrate::core::Diagnostics;
using premigrate::core::RootFs;
using premigrate::core::TempDir;
using premigrate::facts::Package;
using premigrate::facts::PackageFile;

namespace {
void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

PackageFile pf(std::string path, std::string digest, std::vector<std::string> flags,
               std::uint32_t mode = 0100644, std::uint64_t size = 0) {
  PackageFile f;
  f.path = std::move(path);
  f.digest = std::move(digest);
  f.flags = std::move(flags);
  f.mode = mode;
  f.size = size;
  return f;
}

Package pkg(std::string name, std::string algo, std::vector<PackageFile> files) {
  Package p;
  p.name = std::move(name);
  p.version = "1";
  p.release = "1";
  p.arch = "x86_64";
  p.file_digest_algo = std::move(algo);
  p.files = std::move(files);
  return p;
}

const premigrate::facts::ConfigFile* find(const std::vector<premigrate::facts::ConfigFile>& v,
                                          const std::string& path) {
  for (const auto& c : v) {
    if (c.path == path) return &c;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("config files: unchanged, modified, missing, link, unowned; MD5 and SHA256") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/md5/same.conf", "hello\n");
  write(r / "etc/md5/changed.conf", "hello\nlocal edit\n");
  write(r / "etc/sha/same.conf", "port=1\n");
  write(r / "etc/sha/changed.conf", "port=2\n");
  write(r / "etc/local-only.conf", "mine\n");
  fs::create_symlink("same.conf", r / "etc/sha/alias.conf");
  RootFs root(r);
  const std::string md5_hello = "b1946ac92492d2347c6235b4d2611184";
  const std::string sha_port1 = "1d59d7dc5bca04823bcaff04ea3b53f55be3c135343f903782d5d1eebdd64d0b";
  std::vector<Package> pkgs{pkg("el7pkg", "MD5",
                                {pf("/etc/md5/same.conf", md5_hello, {"config"}),
                                 pf("/etc/md5/changed.conf", md5_hello, {"config", "noreplace"}),
                                 pf("/etc/md5/gone.conf", md5_hello, {"config"}),
                                 pf("/etc/md5/ghost.log", "", {"config", "ghost"}),
                                 pf("/usr/share/doc/readme", md5_hello, {"doc"})}),
                            pkg("el9pkg", "SHA256",
                                {pf("/etc/sha/same.conf", sha_port1, {"config"}),
                                 pf("/etc/sha/changed.conf", sha_port1, {"config"}),
                                 pf("/etc/sha/alias.conf", "", {"config"}, 0120777)})};
  pkgs[1].files[2].linkto = "other.conf";
  files::OwnershipIndex owners(root, pkgs);
  Diagnostics diags;
  auto cf = cfg::collect_config_files(root, pkgs, owners, {}, diags);
  REQUIRE(cf.size() == 7);
  REQUIRE(find(cf, "/etc/md5/same.conf"));
  CHECK(find(cf, "/etc/md5/same.conf")->state == "unchanged");
  CHECK(find(cf, "/etc/md5/same.conf")->digest_algo == "MD5");
  CHECK(find(cf, "/etc/md5/same.conf")->package == "el7pkg-1-1.x86_64");
  CHECK(find(cf, "/etc/md5/changed.conf")->state == "modified");
  CHECK(find(cf, "/etc/md5/changed.conf")->noreplace);
  CHECK(find(cf, "/etc/md5/gone.conf")->state == "missing");
  CHECK(find(cf, "/etc/md5/ghost.log") == nullptr);
  CHECK(find(cf, "/etc/sha/same.conf")->state == "unchanged");
  CHECK(find(cf, "/etc/sha/same.conf")->digest_algo == "SHA256");
  CHECK(find(cf, "/etc/sha/changed.conf")->state == "modified");
  CHECK(find(cf, "/etc/sha/alias.conf")->state == "modified");  // points elsewhere than packaged
  REQUIRE(find(cf, "/etc/local-only.conf"));
  CHECK(find(cf, "/etc/local-only.conf")->state == "unowned");
  CHECK(find(cf, "/etc/local-only.conf")->package.empty());
  CHECK(diags.size() == 0);
}

TEST_CASE("file_digest matches known digests and rejects unknown algorithms") {
  TempDir tmp;
  write(tmp.path() / "f", "hello\n");
  RootFs root(tmp.path());
  auto of = files::open_file(root, "/f");
  REQUIRE(of.fd.valid());
  CHECK(cfg::file_digest(of.fd.get(), "MD5") == "b1946ac92492d2347c6235b4d2611184");
  CHECK(cfg::file_digest(of.fd.get(), "SHA256") ==
        "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  CHECK(cfg::file_digest(of.fd.get(), "") == "b1946ac92492d2347c6235b4d2611184");
  CHECK_FALSE(cfg::file_digest(of.fd.get(), "NOT-A-DIGEST"));
}

TEST_CASE("services: systemd units with enablement, SysV scripts with runlevel links") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "usr/lib/systemd/system/app.service",
        "[Service]\nExecStart=-/opt/app/bin/appd --x\nUser=app\n");
  write(r / "usr/lib/systemd/system/idle.service", "[Service]\nExecStart=/usr/bin/idle\n");
  write(r / "usr/lib/systemd/system/getty@.service", "[Service]\nExecStart=-/sbin/agetty\n");
  write(r / "usr/lib/systemd/system/multi-user.target", "[Unit]\n");
  fs::create_symlink("usr/lib", r / "lib");  // the same directory must not be listed twice
  fs::create_directories(r / "etc/systemd/system/multi-user.target.wants");
  fs::create_directories(r / "etc/systemd/system/getty.target.wants");
  fs::create_symlink("/usr/lib/systemd/system/app.service",
                     r / "etc/systemd/system/multi-user.target.wants/app.service");
  fs::create_symlink("/usr/lib/systemd/system/getty@.service",
                     r / "etc/systemd/system/getty.target.wants/getty@tty1.service");
  write(r / "etc/rc.d/init.d/legacy", "#!/bin/sh\nexec=/usr/sbin/legacyd\ndaemon $exec\n");
  write(r / "etc/rc.d/init.d/functions", "# library, not a service\n");
  fs::permissions(r / "etc/rc.d/init.d/legacy", fs::perms::owner_all);
  fs::create_directories(r / "etc/rc.d/rc3.d");
  fs::create_symlink("../init.d/legacy", r / "etc/rc.d/rc3.d/S55legacy");
  fs::create_symlink("rc.d/init.d", r / "etc/init.d");
  RootFs root(r);
  std::vector<Package> pkgs{pkg("app", "SHA256", {pf("/lib/systemd/system/app.service", "", {})})};
  files::OwnershipIndex owners(root, pkgs);
  Diagnostics diags;
  auto s = cfg::collect_services(root, owners, diags);
  REQUIRE(s.units.size() == 4);
  std::map<std::string, premigrate::facts::ServiceUnit> by_name;
  for (const auto& u : s.units) by_name[u.name] = u;
  CHECK(by_name["app.service"].enabled);
  CHECK(by_name["app.service"].user == "app");
  CHECK(by_name["app.service"].programs == std::vector<std::string>{"/opt/app/bin/appd"});
  CHECK(by_name["app.service"].package == "app-1-1.x86_64");
  CHECK(by_name["app.service"].path == "/usr/lib/systemd/system/app.service");
  CHECK_FALSE(by_name["idle.service"].enabled);
  CHECK(by_name["getty@.service"].enabled);
  CHECK(by_name["legacy"].kind == "sysv");
  CHECK(by_name["legacy"].enabled);
  CHECK(by_name["legacy"].programs == std::vector<std::string>{"/usr/sbin/legacyd"});
  CHECK(s.enabled ==
        std::vector<std::string>{"app.service", "getty@.service", "getty@tty1.service", "legacy"});
  CHECK(diags.size() == 0);
}

TEST_CASE("cron: system tables, cron.d, user spool and run-parts directories") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/crontab", "SHELL=/bin/bash\n17 * * * * root cd / && run-parts /etc/cron.x\n");
  write(r / "etc/cron.d/0hourly", "01 * * * * root run-parts /etc/cron.hourly\n");
  write(r / "etc/cron.d/.hidden", "* * * * * root /bin/false\n");
  write(r / "etc/cron.d/bad", "this is not cron\n");
  write(r / "var/spool/cron/alice", "@daily /home/alice/backup.sh\n");
  write(r / "etc/cron.daily/rotate", "#!/bin/sh\n");
  fs::permissions(r / "etc/cron.daily/rotate", fs::perms::owner_all);
  write(r / "etc/cron.daily/README", "not executable\n");
  RootFs root(r);
  files::OwnershipIndex owners;
  Diagnostics diags;
  auto jobs = cfg::collect_cron(root, owners, diags);
  REQUIRE(jobs.size() == 4);
  CHECK(jobs[0].path == "/etc/crontab");
  CHECK(jobs[0].program == "cd");
  CHECK(jobs[1].path == "/etc/cron.d/0hourly");
  CHECK(jobs[2].path == "/var/spool/cron/alice");
  CHECK(jobs[2].user == "alice");
  CHECK(jobs[2].schedule == "@daily");
  CHECK(jobs[3].path == "/etc/cron.daily/rotate");
  CHECK(jobs[3].schedule == "@daily");
  REQUIRE(diags.size() == 1);
  CHECK(diags.sorted()[0].code == "cron.syntax");
  CHECK(diags.sorted()[0].path == "/etc/cron.d/bad");
  CHECK(diags.sorted()[0].where == "line 1");
}
