// Fixtures for the analysis tests, built in code: a small KB pack (complete or partial data),
// an analysis profile, and a "problem" inventory plus root with one of every kind of problem.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "analyze/profile.hpp"
#include "analyze/rules.hpp"
#include "core/root_fs.hpp"
#include "facts/inventory.hpp"
#include "kb/knowledge_base.hpp"

namespace premigrate::analyze::test {

using nlohmann::json;

inline constexpr const char* kCentosKey = "24c6a8a7f4a80eb5";

inline json pack_json(const std::string& arch, const std::string& status) {
  json cov = json::object();
  for (const char* k : kb::kFactKinds)
    cov[k] = {{"status", status}, {"reason", status + " test data"}, {"datasets", {"d"}}};
  json ds = json::array({{{"id", "d"},
                          {"facts", json::array()},
                          {"importer", "curated"},
                          {"name", "test data"},
                          {"origin", "test"},
                          {"commit", ""},
                          {"date", ""},
                          {"licence", "x"},
                          {"derived_from", ""},
                          {"note", ""},
                          {"files", json::array()},
                          {"rows", 1},
                          {"rows_in_pack", 1}}});
  auto bin = [&](const char* n, const char* evr, const char* repo) {
    return json::array({n, arch, evr, repo, n, 0});
  };
  return {
      {"schema_version", 1},
      {"kb_version", "9.9.9"},
      {"build_date", "2025-01-15"},
      {"source_release", "centos-7"},
      {"arch", arch},
      {"target",
       {{"id", "fam-1.0"},
        {"family", "fam"},
        {"name", "Fam 1.0"},
        {"line", "fam-1"},
        {"lts", true},
        {"version", {1, 0}}}},
      {"datasets", ds},
      {"coverage", cov},
      {"binary_packages",
       {bin("keepme", "1.0-1.fam", "os"), bin("upme", "2.1-1.fam", "os"),
        bin("jumpme", "3.0-1.fam", "os"), bin("epolpkg", "1.0-1.fam", "epol"),
        bin("bar", "1.0-1", "os"), bin("chrony", "4.1-1", "os"), bin("ntpstat", "0.6-1", "os"),
        bin("newimpl", "1.0-1", "os"), bin("merged-into", "1.0-1", "os"),
        bin("bash", "5.1-1", "os"), bin("openssl-libs", "3.0-1", "os"),
        bin("glibc", "2.34-1", "os"), bin("python3", "3.9-1", "os"),
        bin("epelpkg", "2.0-1.fam", "everything")}},
      {"source_packages", json::array({json::array({"srconly", "everything", 0})})},
      {"dropped_packages", json::array()},
      {"evolution",
       {{"renamed", {"foo"}, "", {"bar"}, "", "centos-7", "fam-1.0", 0, "https://example.org/r"},
        {"replaced",
         {"oldimpl"},
         "",
         {"newimpl"},
         "",
         "centos-7",
         "fam-1.0",
         0,
         "https://example.org/p"},
        {"split",
         {"ntp"},
         "",
         {"chrony", "ntpstat"},
         "",
         "centos-7",
         "fam-1.0",
         0,
         "https://example.org/s"},
        {"merged",
         {"piece"},
         "",
         {"merged-into"},
         "",
         "centos-7",
         "fam-1.0",
         0,
         "https://example.org/m"},
        {"moved",
         {"mover"},
         "",
         {"mover"},
         "epol",
         "centos-7",
         "fam-1.0",
         0,
         "https://example.org/v"}}},
      {"provides",
       {{"libssl.so.3()(64bit)", "rpm", "openssl-libs", 0},
        {"libc.so.6()(64bit)", "rpm", "glibc", 0},
        {"libc.so.6(GLIBC_2.17)(64bit)", "rpm", "glibc", 0},
        {"virtualname", "rpm", "bash", 0}}},
      {"files",
       {{"/usr/bin/sh", "bash", 0},
        {"/usr/bin/python3", "python3", 0},
        {"/usr/sbin/chronyd", "chrony", 0}}},
      {"kabi",
       json::array({json::array({"kmalloc", "0xabc", "vmlinux", "EXPORT_SYMBOL", true, 0})})},
      {"source_kabi", json::array()},
      {"kernel", {{"version", "5.10.0"}, {"release_at_snapshot", "5.10.0-1"}, {"dataset", 0}}},
      {"openssh", {{"version", "9.3p2"}, {"dataset", 0}}},
      // Export lists: a zlib without ZLIB_1.2.12, and an OpenSSL 1.1 only in a compat package.
      {"export_libraries", json::array({json::array({"libssl.so.1.1",
                                                     "compat-openssl11-libs",
                                                     "1.1.1m",
                                                     "complete",
                                                     {"OPENSSL_1_1_0"},
                                                     true,
                                                     0}),
                                        json::array({"libz.so.1",
                                                     "zlib",
                                                     "1.2.11",
                                                     "complete",
                                                     {"ZLIB_1.2.0", "ZLIB_1.2.9"},
                                                     false,
                                                     0})})},
      {"export_symbols",
       json::array({json::array({"libssl.so.1.1", "OPENSSL_1_1_0", "SSL_new"}),
                    json::array({"libz.so.1", "ZLIB_1.2.0", "zlibVersion"}),
                    json::array({"libz.so.1", "ZLIB_1.2.9", "inflateCodesUsed"})})},
      {"openssh_sshd_config", json::array({json::array({"usepam", "supported"}),
                                           json::array({"useprivilegeseparation", "deprecated"}),
                                           json::array({"protocol", "unsupported"})})},
      {"openssh_ssh_config",
       json::array({json::array({"host", "supported"}), json::array({"cipher", "unsupported"})})}};
}

inline kb::KnowledgeBase pack(const std::string& arch, const std::string& status) {
  return kb::KnowledgeBase::from_text(pack_json(arch, status).dump(), arch + ".json");
}

inline Profile profile() {
  return parse_profile(R"(schema_version: 1
sources:
  centos-7: {vendors: [CentOS], signing_keys: [24c6a8a7f4a80eb5]}
path_aliases:
  - {from: /bin/, to: /usr/bin/}
program_search_path: [/usr/bin, /bin]
library_dirs: [/usr/lib64]
boot_critical_depends: [scsi_mod]
modules_load_dirs: [/etc/modules-load.d]
openssh_files:
  sshd_config: [/etc/ssh/sshd_config]
  ssh_config: [/etc/ssh/ssh_config]
)",
                       "test-profile.yaml");
}

inline facts::Package distro(const std::string& name, const std::string& version) {
  facts::Package p;
  p.name = name;
  p.version = version;
  p.release = "1.el7";
  p.arch = "x86_64";
  p.vendor = "CentOS";
  p.signature = facts::Signature{"RSAHEADER", "RSA", "SHA256", kCentosKey, 0};
  return p;
}

inline void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// A root with one of every kind of configuration problem.
inline void make_problem_root(const std::filesystem::path& root) {
  write(root / "etc/ssh/sshd_config",
        "# comment\nUsePAM yes\nUsePrivilegeSeparation sandbox\nProtocol 2\nWeirdKeyword on\n");
  write(root / "etc/ssh/ssh_config", "Host *\n  Cipher des\n");
  write(root / "etc/sysconfig/network-scripts/ifcfg-eth0", "DEVICE=eth0\n");
  write(root / "etc/yum.conf", "[main]\ndistroverpkg=centos-release\n");
  write(root / "etc/modules-load.d/acme.conf", "# boot\nacmefs\n");
}

facts::Inventory problem_inventory();
facts::Inventory clean_inventory();
// `inv` with what the scan's collect stage adds before the analysis runs: the answers to the
// analysis's root requests and ld.so.conf's directories, read from `root` (unchanged when null).
facts::Inventory with_root_reads(const facts::Inventory& inv, const core::RootFs* root,
                                 const Profile& profile, const RuleSet& rules);

}  // namespace premigrate::analyze::test
