// The rpmdb collector on fixture roots built from .spec files (sqlite and Berkeley DB), on the
// real RHEL 8 Berkeley DB rpmdb and on a root of real CentOS 7 rpms.
#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "facts/inventory.hpp"
#include "rpmdb_test_util.hpp"
#include "support/skip.hpp"

using namespace rpmdb_test;
using premigrate::collect::rpmdb::read_rpmdb;
using premigrate::core::Diagnostics;
using premigrate::core::RootFs;

namespace {
bool has_dep(const std::vector<premigrate::facts::Dependency>& v, const std::string& name,
             const std::string& op = "", const std::string& evr = "") {
  for (const auto& d : v) {
    if (d.name == name && d.op == op && d.evr == evr) return true;
  }
  return false;
}
const premigrate::facts::PackageFile* file(const premigrate::facts::Package& p,
                                           const std::string& path) {
  for (const auto& f : p.files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}
std::string sha256sum(const fs::path& p) {
  std::string cmd = "sha256sum '" + p.string() + "'";
  FILE* f = ::popen(cmd.c_str(), "r");
  REQUIRE(f);
  char buf[65] = {};
  REQUIRE(std::fread(buf, 1, 64, f) == 64);
  ::pclose(f);
  return buf;
}
bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

TEST_CASE("sqlite root: every package with its tags, dependencies and files") {
  Diagnostics diags;
  auto r = read_rpmdb(RootFs(fixture("sqlite-root")), diags);
  CHECK(r.info.status == "ok");
  CHECK(r.info.backend == "sqlite");
  CHECK(r.info.path == "/var/lib/rpm");
  CHECK(r.info.package_count == 4);
  CHECK(diags.size() == 0);
  // The same list, NEVRA and signatures as rpm -qa on the same root.
  CHECK(rpm_style_lines(r.packages) == lines(fixture("expected/sqlite-root.txt")));

  const auto* acme = find(r.packages, "acme-agent");
  REQUIRE(acme);
  CHECK(acme->epoch == 2u);
  CHECK(acme->nevra() == "acme-agent-2:3.1.4-7.el7.x86_64");
  CHECK(acme->nvra() == "acme-agent-3.1.4-7.el7.x86_64");
  CHECK(acme->vendor == "ACME Corp");
  CHECK(acme->packager == "ACME Release Team <release@acme.example>");
  CHECK(acme->url == "https://acme.example/agent");
  CHECK(acme->summary == "ACME <b>monitoring</b> agent");  // kept as data; escaped on output
  CHECK(acme->license == "Proprietary");
  CHECK(acme->sourcerpm == "acme-agent-3.1.4-7.el7.src.rpm");
  CHECK(acme->buildtime > 0);
  CHECK(acme->installtime > 0);
  CHECK(acme->sigmd5.size() == 32);
  CHECK(acme->file_digest_algo == "SHA256");
  CHECK_FALSE(acme->signature.has_value());
  CHECK(has_dep(acme->requires_, "libssl.so.10()(64bit)"));
  CHECK(has_dep(acme->requires_, "libcrypto.so.10(OPENSSL_1.0.2)(64bit)"));
  CHECK(has_dep(acme->requires_, "coreutils", ">=", "8.22"));
  CHECK(has_dep(acme->requires_, "(python2 or python3)"));  // rich dependency kept whole
  for (const auto& d : acme->requires_) {
    if (d.name == "/bin/sh") CHECK(has(d.qualifiers, "post"));
  }
  CHECK(has_dep(acme->provides, "libacme.so.2(ACME_2.0)(64bit)"));
  CHECK(has_dep(acme->provides, "acme-agent", "=", "2:3.1.4-7.el7"));
  CHECK(has_dep(acme->obsoletes, "acme-agent-legacy", "<", "2.0"));
  CHECK(has_dep(acme->conflicts, "acme-old"));
  const auto* conf = file(*acme, "/etc/acme/agent.conf");
  REQUIRE(conf);
  CHECK(conf->flags == std::vector<std::string>{"config", "noreplace"});
  // The packaged digest is the SHA-256 of the file laid down in the root.
  CHECK(conf->digest == sha256sum(fixture("sqlite-root") / "etc/acme/agent.conf"));
  CHECK(conf->user == "root");
  CHECK(conf->group == "root");
  CHECK((conf->mode & 0170000) == 0100000);
  const auto* bin = file(*acme, "/opt/acme/bin/agent");
  REQUIRE(bin);
  CHECK((bin->mode & 0777) == 0755);

  const auto* demo = find(r.packages, "centos-demo");
  REQUIRE(demo);
  CHECK_FALSE(demo->epoch.has_value());
  CHECK(demo->vendor == "CentOS");
  REQUIRE(demo->signature.has_value());
  CHECK(demo->signature->tag == "RSAHEADER");
  CHECK(demo->signature->pubkey_algo == "RSA");
  CHECK(demo->signature->key_id == lines(fixture("expected/signing-key-id.txt")).at(0));
  CHECK(file(*demo, "/etc/demo/demo.conf")->flags == std::vector<std::string>{"config"});
  CHECK(file(*demo, "/var/log/demo.log")->flags == std::vector<std::string>{"ghost"});
  CHECK(file(*demo, "/usr/share/doc/centos-demo/README")->flags == std::vector<std::string>{"doc"});
  CHECK(file(*demo, "/usr/bin/demo-link")->linkto == "demo");

  const auto* foo = find(r.packages, "libfoo-compat");
  REQUIRE(foo);
  CHECK(foo->epoch == 0u);  // written out: distinct from no epoch
  CHECK(foo->nevra() == "libfoo-compat-0:1.2.3-4.el7.x86_64");
  CHECK(has_dep(foo->provides, "libfoo.so.1(FOO_1.1)(64bit)"));

  const auto* tool = find(r.packages, "inhouse-tool");
  REQUIRE(tool);
  CHECK(tool->arch == "noarch");
  CHECK(tool->vendor.empty());
  CHECK_FALSE(tool->signature.has_value());
  CHECK(has_dep(tool->provides, "inhouse-tool(api)", "=", "1.2"));
  CHECK(tool->file_digest_algo == "MD5");
  const auto* script = file(*tool, "/usr/local/bin/inhouse-report");
  REQUIRE(script);
  CHECK(script->digest.size() == 32);
}

TEST_CASE("Berkeley DB root made from the sqlite one gives the same packages") {
  Diagnostics d1;
  Diagnostics d2;
  auto sq = read_rpmdb(RootFs(fixture("sqlite-root")), d1);
  auto bdb = read_rpmdb(RootFs(fixture("bdb-root")), d2);
  CHECK(bdb.info.status == "ok");
  CHECK(bdb.info.backend == "bdb");
  // No index files in the root (as in extracted images): all headers are still iterated,
  // and librpm's complaints about the missing indexes do not reach the diagnostics.
  CHECK(d2.size() == 0);
  CHECK(rpm_style_lines(bdb.packages) == lines(fixture("expected/bdb-root.txt")));
  // Berkeley DB iterates in hash order, sqlite in instance order: compare in NEVRA order.
  auto by_nevra = [](auto v) {
    std::sort(v.begin(), v.end(),
              [](const auto& a, const auto& b) { return a.nevra() < b.nevra(); });
    return nlohmann::json(v);
  };
  CHECK(by_nevra(sq.packages) == by_nevra(bdb.packages));
}

TEST_CASE("the rpm >= 4.16 layout is found through the /var/lib/rpm symlink") {
  Diagnostics diags;
  auto r = read_rpmdb(RootFs(fixture("sysimage-root")), diags);
  CHECK(r.info.status == "ok");
  CHECK(r.info.backend == "sqlite");
  CHECK(r.packages.size() == 4);
}

TEST_CASE("reading writes nothing into the root: no lock, -shm, -wal or index file") {
  for (const char* name : {"sqlite-root", "bdb-root", "sysimage-root", "garbage-sqlite-root"}) {
    INFO(name);
    const auto before = snapshot(fixture(name));
    Diagnostics diags;
    (void)read_rpmdb(RootFs(fixture(name)), diags);
    CHECK(snapshot(fixture(name)) == before);
  }
}

TEST_CASE("the real RHEL 8 Berkeley DB rpmdb (no index files): every value its README lists") {
  if (!shared_present()) {
    PREMIGRATE_SKIP("../shared/fixtures is not present beside the project");
  }
  Diagnostics diags;
  auto r = read_rpmdb(RootFs(fixture("libuuid-bdb-root")), diags);
  CHECK(r.info.status == "ok");
  CHECK(r.info.backend == "bdb");
  REQUIRE(r.packages.size() == 1);
  const auto& p = r.packages[0];
  CHECK(p.name == "libuuid");
  CHECK_FALSE(p.epoch.has_value());
  CHECK(p.version == "2.32.1");
  CHECK(p.release == "42.el8_8");
  CHECK(p.arch == "x86_64");
  CHECK(p.sourcerpm == "util-linux-2.32.1-42.el8_8.src.rpm");
  CHECK(p.license == "BSD");
  CHECK(p.vendor == "Red Hat, Inc.");
  CHECK(p.summary == "Universally unique ID library");
  CHECK(p.size == 35104);
  CHECK(p.installtime == 1696444673);
  CHECK(p.sigmd5 == "c1e561f13d39aee443a1f00258fba000");
  CHECK(p.file_digest_algo == "SHA256");
  REQUIRE(p.signature.has_value());
  CHECK(p.signature->pubkey_algo == "RSA");
  CHECK(p.signature->hash_algo == "SHA256");
  CHECK(p.signature->key_id == "199e2f91fd431d51");
  CHECK(rpm_style_line(p) ==
        "libuuid-2.32.1-42.el8_8.x86_64 RSA/SHA256, Mon Apr  3 18:10:39 2023, Key ID "
        "199e2f91fd431d51");
  std::vector<std::string> provides;
  for (const auto& d : p.provides) provides.push_back(d.name);
  std::sort(provides.begin(), provides.end());
  CHECK(provides == std::vector<std::string>{
                        "libuuid", "libuuid(x86-64)", "libuuid.so.1()(64bit)",
                        "libuuid.so.1(UUIDD_PRIVATE)(64bit)", "libuuid.so.1(UUID_1.0)(64bit)",
                        "libuuid.so.1(UUID_2.20)(64bit)", "libuuid.so.1(UUID_2.31)(64bit)"});
  std::vector<std::string> required;
  required.reserve(p.requires_.size());
  for (const auto& d : p.requires_) required.push_back(d.name);
  std::sort(required.begin(), required.end());
  CHECK(required == std::vector<std::string>{
                        "/sbin/ldconfig", "/sbin/ldconfig", "ld-linux-x86-64.so.2()(64bit)",
                        "ld-linux-x86-64.so.2(GLIBC_2.3)(64bit)", "libc.so.6()(64bit)",
                        "libc.so.6(GLIBC_2.14)(64bit)", "libc.so.6(GLIBC_2.2.5)(64bit)",
                        "libc.so.6(GLIBC_2.25)(64bit)", "libc.so.6(GLIBC_2.28)(64bit)",
                        "libc.so.6(GLIBC_2.3)(64bit)", "libc.so.6(GLIBC_2.3.4)(64bit)",
                        "libc.so.6(GLIBC_2.4)(64bit)", "rpmlib(CompressedFileNames)",
                        "rpmlib(FileDigests)", "rpmlib(PayloadFilesHavePrefix)",
                        "rpmlib(PayloadIsXz)", "rtld(GNU_HASH)"});
}

TEST_CASE("a root of real CentOS 7 rpms lists exactly what rpm -qa lists, keys right") {
  if (!shared_present()) {
    PREMIGRATE_SKIP("../shared/fixtures is not present beside the project");
  }
  for (const char* name : {"el7-root", "el7-bdb-root"}) {
    INFO(name);
    Diagnostics diags;
    auto r = read_rpmdb(RootFs(fixture(name)), diags);
    CHECK(r.info.status == "ok");
    const auto expected = lines(fixture(std::string("expected/") + name + ".txt"));
    REQUIRE(expected.size() >= 30);
    CHECK(rpm_style_lines(r.packages) == expected);
    for (const auto& p : r.packages) {
      REQUIRE(p.signature.has_value());
      CHECK(p.signature->key_id ==
            (p.name == "python2-pip" ? "6a2faea2352c64e5" : "24c6a8a7f4a80eb5"));
      // CentOS 7 builds carry FILEDIGESTALGO 8: `rpm -qp --qf '%{FILEDIGESTALGO}'` says so.
      CHECK(p.file_digest_algo == "SHA256");
    }
    const auto* ssl = find(r.packages, "openssl-libs");
    REQUIRE(ssl);
    CHECK(ssl->epoch == 1u);
    CHECK(has_dep(ssl->provides, "libssl.so.10()(64bit)"));
    bool has_lib = false;
    for (const auto& f : ssl->files) {
      if (f.path == "/usr/lib64/libssl.so.1.0.1e") {
        has_lib = true;
        CHECK(f.digest.size() == 64);  // SHA-256, hex
      }
    }
    CHECK(has_lib);
  }
}
