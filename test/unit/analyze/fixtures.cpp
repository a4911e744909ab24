// The problem and clean inventories of fixtures.hpp.
#include "fixtures.hpp"

#include "analyze/root_requests.hpp"
#include "collect/collect.hpp"
#include "collect/config/root_reads.hpp"

namespace premigrate::analyze::test {

namespace {

facts::ElfObject elf(const std::string& path, const std::string& machine, int cls = 64) {
  facts::ElfObject e;
  e.path = path;
  e.machine = machine;
  e.elf_class = cls;
  e.type = "exec";
  return e;
}

// A package of another vendor than the source distribution's.
facts::Package foreign(const std::string& name, const std::string& version,
                       const std::string& release, const std::string& vendor) {
  facts::Package p;
  p.name = name;
  p.version = version;
  p.release = release;
  p.arch = "x86_64";
  p.vendor = vendor;
  return p;
}

}  // namespace

facts::Inventory problem_inventory() {
  facts::Inventory inv;
  inv.host.source_release = "centos-7";
  inv.host.kernels = {"3.10.0-1160.el7.x86_64"};
  inv.host.architectures = {"x86_64"};
  inv.host.kernel_cmdline = "ro crashkernel=auto elevator=deadline rhgb";
  inv.host.repos.push_back({"/etc/yum.repos.d/CentOS-Base.repo",
                            "base",
                            "CentOS Base",
                            {"http://mirror.centos.org/centos/7/os/x86_64/"},
                            "",
                            "",
                            true,
                            true});
  // An EPEL repository (PM-REPO-002) and an EPEL package the target ships itself (PM-3RD-005).
  inv.host.repos.push_back({"/etc/yum.repos.d/epel.repo",
                            "epel",
                            "Extra Packages for Enterprise Linux 7",
                            {"http://download.fedoraproject.org/pub/epel/7/x86_64"},
                            "",
                            "",
                            true,
                            true});
  for (auto [n, v] : {std::pair{"keepme", "1.0"},
                      {"upme", "2.0"},
                      {"jumpme", "2.5"},
                      {"epolpkg", "1.0"},
                      {"foo", "1.0"},
                      {"oldimpl", "1.0"},
                      {"ntp", "4.2"},
                      {"piece", "1.0"},
                      {"mover", "1.0"},
                      {"gone", "1.0"},
                      {"virtualname", "1.0"},
                      {"srconly", "1.0"},
                      {"mystery", "1.0"}}) {
    inv.packages.push_back(distro(n, v));
  }
  inv.packages[9].files.push_back(
      {"/usr/sbin/gone-daemon", 0100755, 1, "", "root", "root", "", {}});
  auto acme = foreign("acme", "3.1", "7", "ACME Corp");
  acme.requires_ = {{"libssl.so.10()(64bit)", "", "", {}},
                    {"(python2 or python3)", "", "", {}},
                    {"bash", ">=", "4.0", {}},
                    {"bash", ">=", "9.0", {}},
                    {"/bin/sh", "", "", {"post"}},
                    {"rpmlib(CompressedFileNames)", "<=", "3.0.4-1", {"rpmlib"}},
                    {"acme-libs", "=", "3.1-7", {}},
                    {"rtld(GNU_HASH)", "", "", {}},
                    {"libssl.so.3(OPENSSL_3.0.0)(64bit)", "", "", {}},
                    {"libc.so.6(GLIBC_2.99)(64bit)", "", "", {}}};
  acme.provides = {{"acme-libs", "=", "3.1-7", {}}};
  inv.packages.push_back(acme);
  inv.packages.push_back(foreign("epelpkg", "1.5", "1.el7", "Fedora Project"));

  auto app = elf("/opt/app/bin/app", "x86_64");
  app.needed = {"libmissing.so.1", "libc.so.6", "libbundled.so.1"};
  app.verneed = {{"libc.so.6", {"GLIBC_2.17", "GLIBC_2.99"}}};
  app.runpath = {"$ORIGIN/../lib"};
  app.undefined = {{"present_sym", "", "libbundled.so.1", false},
                   {"absent_sym", "", "libbundled.so.1", false},
                   {"weak_sym", "", "libbundled.so.1", true}};
  inv.elf_objects.push_back(app);
  auto app2 = elf("/opt/app/bin/helper", "x86_64");
  app2.needed = {"libmissing.so.1"};
  inv.elf_objects.push_back(app2);
  auto lib = elf("/opt/app/lib/libbundled.so.1", "x86_64");
  lib.type = "dyn";
  lib.soname = "libbundled.so.1";
  lib.exported = {{"present_sym", "", "", false}};
  inv.elf_objects.push_back(lib);
  // Export checks (elf_exports.cpp): a node newer than the target's zlib, an OpenSSL 1.1
  // program (compat package only), and one that links.
  auto znew = elf("/opt/z/bin/znew", "x86_64");
  znew.interp = "/lib64/ld-linux-x86-64.so.2";
  znew.needed = {"libz.so.1"};
  znew.verneed = {{"libz.so.1", {"ZLIB_1.2.0", "ZLIB_1.2.12"}}};
  znew.undefined = {{"zlibVersion", "ZLIB_1.2.0", "libz.so.1", false},
                    {"crc32_combine_gen", "ZLIB_1.2.12", "libz.so.1", false}};
  inv.elf_objects.push_back(znew);
  auto zok = znew;
  zok.path = "/opt/z/bin/zok";
  zok.verneed = {{"libz.so.1", {"ZLIB_1.2.0"}}};
  zok.undefined = {{"zlibVersion", "ZLIB_1.2.0", "libz.so.1", false},
                   {"__gmon_start__", "", "", true}};
  inv.elf_objects.push_back(zok);
  auto ssl11 = znew;
  ssl11.path = "/opt/ssl/bin/ssl11";
  ssl11.needed = {"libssl.so.1.1"};
  ssl11.verneed = {{"libssl.so.1.1", {"OPENSSL_1_1_0"}}};
  ssl11.undefined = {{"SSL_new", "OPENSSL_1_1_0", "libssl.so.1.1", false}};
  inv.elf_objects.push_back(ssl11);
  auto arm = elf("/opt/arm/bin/armapp", "aarch64");
  arm.needed = {"libmissing.so.1"};
  inv.elf_objects.push_back(arm);
  inv.elf_objects.push_back(elf("/opt/old/bin/old32", "i386", 32));
  auto st = elf("/opt/static/bin/st", "x86_64");
  st.is_static = true;
  inv.elf_objects.push_back(st);
  auto go = elf("/opt/go/bin/gosvc", "x86_64");
  go.is_static = true;
  go.toolchain.go_version = "go1.21.3";
  inv.elf_objects.push_back(go);
  auto owned = elf("/usr/bin/keepme", "x86_64");  // owned by a distro package: replaced
  owned.package = inv.packages[0].nevra();
  owned.needed = {"libreplaced.so.9"};
  inv.elf_objects.push_back(owned);

  facts::KernelModule km;
  km.path = "/lib/modules/3.10.0-1160.el7.x86_64/extra/acmefs.ko";
  km.name = "acmefs";
  km.vermagic = "3.10.0-1160.el7.x86_64 SMP mod_unload modversions";
  km.out_of_tree = true;
  km.depends = {"scsi_mod"};
  km.versions = {{"kmalloc", 1}, {"secret_sym", 2}};
  inv.kernel_modules.push_back(km);
  auto ok_km = km;  // uses only what the target kABI exports (PM-KMOD-003)
  ok_km.path = "/lib/modules/3.10.0-1160.el7.x86_64/extra/acmenet.ko";
  ok_km.name = "acmenet";
  ok_km.depends.clear();
  ok_km.versions = {{"kmalloc", 1}};
  inv.kernel_modules.push_back(ok_km);

  inv.scripts.push_back(
      {"/usr/local/bin/report.py", "", "/usr/bin/python2", "/usr/bin/python2", {}});
  inv.scripts.push_back({"/usr/local/bin/ok.sh", "", "/bin/sh", "/bin/sh", {}});
  inv.services.push_back({"/etc/systemd/system/gone.service",
                          "",
                          "gone.service",
                          "systemd",
                          {"/usr/sbin/gone-daemon"},
                          "root",
                          true});
  inv.services.push_back({"/etc/rc.d/init.d/legacy", "", "legacy", "sysv", {}, "", true});
  inv.services.push_back({"/etc/systemd/system/chrony.service",
                          "",
                          "chronyd.service",
                          "systemd",
                          {"/usr/sbin/chronyd"},
                          "root",
                          true});
  inv.cron_jobs.push_back(
      {"/etc/cron.d/old", "", "0 * * * *", "root", "/usr/bin/oldtool -x", "/usr/bin/oldtool"});
  inv.config_files.push_back(
      {"/etc/keepme.conf", inv.packages[0].nevra(), "modified", "MD5", true});
  inv.config_files.push_back(
      {"/etc/keepme2.conf", inv.packages[0].nevra(), "unchanged", "MD5", false});
  inv.collectors = {{"rpmdb", facts::CollectorState::kOk, ""},
                    {"files", facts::CollectorState::kOk, ""}};
  return inv;
}

facts::Inventory clean_inventory() {
  facts::Inventory inv;
  inv.host.source_release = "centos-7";
  inv.host.architectures = {"x86_64"};
  inv.host.kernel_cmdline = "ro quiet";
  inv.packages.push_back(distro("keepme", "1.0"));
  auto ok = elf("/usr/local/bin/tool", "x86_64");
  ok.needed = {"libc.so.6", "libssl.so.3"};
  ok.verneed = {{"libc.so.6", {"GLIBC_2.17"}}};
  inv.elf_objects.push_back(ok);
  inv.scripts.push_back({"/usr/local/bin/ok.sh", "", "/bin/sh", "/bin/sh", {}});
  inv.config_files.push_back(
      {"/etc/keepme.conf", inv.packages[0].nevra(), "unchanged", "MD5", true});
  inv.collectors = {{"rpmdb", facts::CollectorState::kOk, ""},
                    {"files", facts::CollectorState::kOk, ""}};
  return inv;
}

facts::Inventory with_root_reads(const facts::Inventory& inv, const core::RootFs* root,
                                 const Profile& profile, const RuleSet& rules) {
  facts::Inventory full = inv;
  if (root == nullptr) return full;
  core::Diagnostics diags;
  full.host.ld_so_conf_dirs = collect::config::collect_ld_so_conf(*root, diags);
  full.root_reads = collect::read_requested(*root, root_requests(full, profile, rules), diags);
  return full;
}

}  // namespace premigrate::analyze::test
