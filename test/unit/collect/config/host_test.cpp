// Host facts from a small root: release detection, kernels, command line, SELinux, repos.
#include "collect/config/host.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/temp_dir.hpp"

namespace fs = std::filesystem;
namespace cfg = premigrate::collect::config;
using premigrate::core::Diagnostics;
using premigrate::core::RootFs;
using premigrate::core::TempDir;

namespace {
void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}
}  // namespace

TEST_CASE("source release detection from os-release and release lines") {
  using M = std::map<std::string, std::string>;
  auto r = cfg::release_from_os_release(
      M{{"ID", "centos"}, {"VERSION_ID", "7"}, {"NAME", "CentOS Linux"}}, "/etc/os-release");
  CHECK(r.id == "centos-7");
  CHECK(r.evidence == "/etc/os-release: ID=centos VERSION_ID=7");
  CHECK(cfg::release_from_os_release(
            M{{"ID", "centos"}, {"VERSION_ID", "8"}, {"NAME", "CentOS Linux"}}, "f")
            .id == "centos-8");
  CHECK(cfg::release_from_os_release(
            M{{"ID", "centos"}, {"VERSION_ID", "9"}, {"NAME", "CentOS Stream"}}, "f")
            .id == "centos-stream-9");
  CHECK(cfg::release_from_os_release(M{{"ID", "rhel"}, {"VERSION_ID", "8.10"}}, "f").id ==
        "rhel-8");
  CHECK(cfg::release_from_os_release(M{{"ID", "openEuler"}, {"VERSION_ID", "22.03"}}, "f").id ==
        "openeuler-22.03");
  CHECK(cfg::release_from_os_release(M{{"ID", "centos"}}, "f").id.empty());

  CHECK(cfg::release_from_release_line("CentOS Linux release 7.9.2009 (Core)", "f").id ==
        "centos-7");
  CHECK(cfg::release_from_release_line("CentOS release 6.10 (Final)", "f").id == "centos-6");
  CHECK(cfg::release_from_release_line("CentOS Stream release 8", "f").id == "centos-stream-8");
  CHECK(cfg::release_from_release_line("Red Hat Enterprise Linux Server release 7.9 (Maipo)", "f")
            .id == "rhel-7");
  CHECK(cfg::release_from_release_line("no version here", "f").id.empty());
  // Found by fuzz_config: a version number past INT_MAX made std::stoi throw out of the scan.
  CHECK(cfg::release_from_release_line("CentOS Linux release 99999999999999999999999.1 (x)", "f")
            .id == "centos-99999999999999999999999.1");
  CHECK(cfg::release_from_release_line("CentOS Linux release 22.03.1 (x)", "f").id ==
        "centos-22.03");
  CHECK_NOTHROW(cfg::release_from_release_line("CentOS Linux release \xff\xfe.1 (x)", "f"));
}

TEST_CASE("collect_host reads a CentOS 7 style root") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/os-release",
        "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\n"
        "VERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n");
  write(r / "etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\nsecond line\n");
  write(r / "usr/lib/modules/3.10.0-1160.el7.x86_64/modules.dep", "");
  write(r / "usr/lib/modules/3.10.0-957.el7.x86_64/modules.dep", "");
  fs::create_symlink("usr/lib", r / "lib");
  write(r / "boot/vmlinuz-3.10.0-1160.el7.x86_64", "k");
  write(r / "boot/vmlinuz-4.1.0-extra", "k");
  write(r / "boot/vmlinuz-0-rescue-0123456789abcdef", "k");
  write(r / "etc/default/grub",
        "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"crashkernel=auto rd.lvm.lv=centos/root rhgb "
        "quiet\"\n");
  write(r / "etc/selinux/config", "# comment\nSELINUX=Enforcing\nSELINUXTYPE=targeted\n");
  write(r / "etc/yum.repos.d/base.repo", "[base]\nbaseurl=http://a/\n  http://b/\n");
  write(r / "etc/yum.repos.d/notes.txt", "[ignored]\n");
  RootFs root(r);
  std::vector<premigrate::facts::Package> pkgs(3);
  pkgs[0].arch = "x86_64";
  pkgs[1].arch = "noarch";
  pkgs[2].arch = "i686";
  Diagnostics diags;
  auto h = cfg::collect_host(root, pkgs, diags);
  CHECK(h.os_release["ID_LIKE"] == "rhel fedora");
  CHECK(h.system_release == "CentOS Linux release 7.9.2009 (Core)");
  CHECK(h.source_release == "centos-7");
  CHECK(h.source_release_evidence == "/etc/os-release: ID=centos VERSION_ID=7");
  CHECK(cfg::source_release(root) == "centos-7");  // read ahead by a scan, the same answer
  CHECK(h.kernels ==
        std::vector<std::string>{"3.10.0-1160.el7.x86_64", "3.10.0-957.el7.x86_64", "4.1.0-extra"});
  CHECK(h.architectures == std::vector<std::string>{"i686", "x86_64"});
  CHECK(h.kernel_cmdline == "crashkernel=auto rd.lvm.lv=centos/root rhgb quiet");
  CHECK(h.selinux_mode == "enforcing");
  REQUIRE(h.repos.size() == 1);
  CHECK(h.repos[0].baseurl == std::vector<std::string>{"http://a/", "http://b/"});
  CHECK(diags.size() == 0);
}

TEST_CASE("collect_host without os-release: release file and BLS boot entries") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  write(r / "etc/redhat-release", "Red Hat Enterprise Linux release 8.6 (Ootpa)\n");
  write(r / "boot/grub2/grubenv", "# GRUB Environment Block\nkernelopts=root=/dev/sda1 ro\n");
  write(r / "boot/loader/entries/abc-4.18.0.conf",
        "title Linux\nversion 4.18.0\noptions $kernelopts console=ttyS0\n");
  write(r / "etc/os-release.d/ignored", "x");
  fs::create_symlink("/nonexistent", r / "etc/os-release");  // dangling: treated as absent
  RootFs root(r);
  Diagnostics diags;
  auto h = cfg::collect_host(root, {}, diags);
  CHECK(h.source_release == "rhel-8");
  CHECK(cfg::source_release(root) == "rhel-8");
  CHECK(h.source_release_evidence ==
        "/etc/redhat-release: Red Hat Enterprise Linux release 8.6 (Ootpa)");
  CHECK(h.kernel_cmdline == "root=/dev/sda1 ro console=ttyS0");
  CHECK(h.os_release.empty());
}

TEST_CASE("a release file that is a FIFO or too large is reported, not read") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  fs::create_directories(r / "etc");
  REQUIRE(::mkfifo((r / "etc/os-release").c_str(), 0644) == 0);
  write(r / "etc/centos-release", std::string(2 << 20, 'x'));
  RootFs root(r);
  Diagnostics diags;
  auto h = cfg::collect_host(root, {}, diags);
  CHECK(h.source_release.empty());
  CHECK(cfg::source_release(root).empty());  // and its diagnostics are collect_host's alone
  auto d = diags.sorted();
  REQUIRE(d.size() == 2);
  CHECK(d[0].code == "config.unreadable");
  CHECK(d[0].path == "/etc/centos-release");
  CHECK(d[0].message.find("larger than") != std::string::npos);
  CHECK(d[1].path == "/etc/os-release");
  CHECK(d[1].message == "a FIFO, not a regular file; not opened");
}
