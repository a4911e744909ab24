// Importers on small hand-written inputs (including malformed ones) and on the real datasets.
#include "kb/importers.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "core/errors.hpp"
#include "support/skip.hpp"
#include "test_util.hpp"

using namespace premigrate::kb;
using premigrate::core::RunError;
namespace t = premigrate::kb::test;

namespace {
const char* const kPrimary = R"X(<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="3">
<package type="rpm"><name>demo</name><arch>src</arch><version epoch="0" ver="1" rel="1"/></package>
<package type="rpm"><name>demo-libs</name><arch>x86_64</arch><version epoch="2" ver="1.0" rel="3.oe1"/>
  <checksum type="sha256" pkgid="YES">aaa</checksum>
  <format><rpm:sourcerpm>demo-1.0-3.oe1.src.rpm</rpm:sourcerpm>
  <rpm:provides><rpm:entry name="libdemo.so.1()(64bit)"/><rpm:entry name="libdemo.so.1(DEMO_1.0)(64bit)"/>
  <rpm:entry name="demo-libs(x86-64)" flags="EQ" ver="1.0"/><rpm:entry name="libdemo-compat"/></rpm:provides>
  <rpm:obsoletes><rpm:entry name="demo-old" flags="LT" epoch="0" ver="1.0"/></rpm:obsoletes>
  <file>/usr/bin/demo</file><file>/etc/demo.conf</file></format></package>
<package type="rpm"><name>other</name><arch>aarch64</arch><version epoch="0" ver="2" rel="1"/></package>
</metadata>
)X";
}  // namespace

TEST_CASE("repodata importer reads a primary.xml, plain and gzip-compressed", "[kb][importers]") {
  const auto dir = t::scratch("primary");
  const auto xml = t::write(dir / "primary.xml", kPrimary);
  importers::RepodataOptions o{"everything", {"x86_64", "noarch"}, {"/usr/bin/"}, true};
  auto r = importers::import_repodata(xml, o);
  CHECK(r.records == 3);
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].name == "demo-libs");
  CHECK(r.packages[0].evr == "2:1.0-3.oe1");
  CHECK(r.packages[0].source_name == "demo");
  CHECK(r.packages[0].repo == "everything");
  REQUIRE(r.provides.size() == 2);  // sonames only
  CHECK(r.provides[1].capability == "libdemo.so.1(DEMO_1.0)(64bit)");
  REQUIRE(r.files.size() == 1);
  CHECK(r.files[0].path == "/usr/bin/demo");
  o.soname_provides_only = false;
  CHECK(importers::import_repodata(xml, o).provides.size() == 3);  // + libdemo-compat

  REQUIRE(std::system(("gzip -n -k -f " + xml.string()).c_str()) == 0);
  auto gz = importers::import_repodata(dir / "primary.xml.gz", o);
  CHECK(gz.packages.size() == 1);
  CHECK(gz.provides.size() == 3);
}

TEST_CASE("repodata importer keeps obsoletes apart and can drop sonames", "[kb][importers]") {
  const auto xml = t::write(t::scratch("obsoletes") / "primary.xml", kPrimary);
  importers::RepodataOptions o{"everything", {"x86_64"}, {}, false};
  CHECK(importers::import_repodata(xml, o).provides.size() == 3);  // no obsoletes unless asked
  o.obsoletes = true;
  o.skip_sonames = true;
  const auto r = importers::import_repodata(xml, o);
  REQUIRE(r.provides.size() == 2);
  CHECK(r.provides[0].capability == "libdemo-compat");
  CHECK(r.provides[0].kind == "rpm");
  CHECK(r.provides[1].capability == "demo-old");  // the version bound is dropped
  CHECK(r.provides[1].kind == "obsoletes");
  CHECK(r.provides[1].package == "demo-libs");
}

TEST_CASE("arch derivation drops base-only names, adds target-only ones, renames the arch",
          "[kb][importers]") {
  const auto dir = t::scratch("archdiff");
  const auto x86 = t::write(dir / "map_x86_64", "a : grub2-pc grub2-common\nb : bash\n\n");
  const auto arm = t::write(dir / "map_aarch64",
                            "a : grub2-efi-aa64 grub2-efi-aa64-debuginfo grub2-common\nb : bash\n");
  std::uint64_t records = 0;
  const auto diff = importers::import_arch_mapping_diff(x86, arm, records);
  CHECK(records == 4);
  CHECK(diff.only_base == std::set<std::string>{"grub2-pc"});
  CHECK(diff.only_target == std::set<std::string>{"grub2-efi-aa64", "grub2-efi-aa64-debuginfo"});
  const std::vector<BinaryPackage> base = {{"bash", "x86_64", "5.1-1", "OS", "", 0},
                                           {"bash", "i686", "5.1-1", "OS", "", 0},
                                           {"grub2-common", "noarch", "2.06-1", "OS", "", 0},
                                           {"grub2-pc", "x86_64", "2.06-1", "OS", "", 0}};
  const auto out = importers::derive_arch_packages(base, "x86_64", "aarch64", diff);
  REQUIRE(out.size() == 3);
  CHECK(out[0].name == "bash");
  CHECK(out[0].arch == "aarch64");
  CHECK(out[0].evr == "5.1-1");
  CHECK(out[1].name == "grub2-common");
  CHECK(out[1].arch == "noarch");
  CHECK(out[2].name == "grub2-efi-aa64");  // no version known; debuginfo names skipped
  CHECK(out[2].evr.empty());
  const auto bad = t::write(dir / "bad", "no colon here\n");
  REQUIRE_THROWS_WITH(importers::import_arch_mapping_diff(bad, arm, records),
                      Catch::Contains("bad:1:"));
}

TEST_CASE("repodata importer follows repomd.xml to primary and filelists", "[kb][importers]") {
  const auto dir = t::scratch("repo");
  t::write(dir / "repodata/repomd.xml", R"(<?xml version="1.0"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo">
 <data type="primary"><location href="repodata/abc-primary.xml"/></data>
 <data type="filelists"><location href="repodata/abc-filelists.xml"/></data>
</repomd>)");
  t::write(dir / "repodata/abc-primary.xml", kPrimary);
  t::write(dir / "repodata/abc-filelists.xml", R"(<?xml version="1.0"?>
<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="1">
<package pkgid="aaa" name="demo-libs" arch="x86_64"><file>/usr/lib64/libdemo.so.1</file><file>/usr/bin/demo</file><file>/usr/libexec/demo-helper</file></package>
</filelists>)");
  importers::RepodataOptions o{"os", {}, {"/usr/bin/", "/usr/libexec/"}, true};
  auto r = importers::import_repodata(dir, o);
  CHECK(r.packages.size() == 2);  // all binary arches when none are named
  REQUIRE(r.files.size() == 2);   // /usr/bin/demo de-duplicated across primary and filelists
  CHECK(r.files[0].path == "/usr/bin/demo");
  CHECK(r.files[1].path == "/usr/libexec/demo-helper");
}

TEST_CASE("repodata importer names the file and line of malformed XML", "[kb][importers]") {
  const auto dir = t::scratch("badxml");
  const auto f =
      t::write(dir / "primary.xml",
               "<?xml version=\"1.0\"?>\n<metadata>\n<package><name>x</name>\n</metadata>\n");
  REQUIRE_THROWS_AS(importers::import_repodata(f, {}), RunError);
  REQUIRE_THROWS_WITH(importers::import_repodata(f, {}),
                      Catch::Contains(f.string() + ":4:") && Catch::Contains("malformed XML"));
  const auto not_primary = t::write(dir / "other.xml", "<?xml version=\"1.0\"?>\n<foo/>\n");
  REQUIRE_THROWS_WITH(importers::import_repodata(not_primary, {}),
                      Catch::Contains("not a primary.xml"));
}

TEST_CASE("dnf list importer handles sections, wrapped names and bad rows", "[kb][importers]") {
  const auto dir = t::scratch("dnf");
  const auto f = t::write(dir / "dnf.list.txt",
                          "Installed Packages\n"
                          "acl.x86_64        2.3.1-2.oe2203sp3     @OS\n"
                          "attr.x86_64       2.5.1-4.oe2203sp3     @System\n"
                          "Available Packages\n"
                          "a-very-long-package-name-that-wraps.noarch\n"
                          "                  1.0-1.oe2203sp3       everything\n"
                          "acl.src           2.3.1-2.oe2203sp3     source\n"
                          "acl-debuginfo.x86_64 2.3.1-2.oe2203sp3  debuginfo\n"
                          "zstd.x86_64       1.5.0-4.oe2203sp3     EPOL\n");
  std::uint64_t records = 0;
  auto rows = importers::import_dnf_list(f, {{"debuginfo"}, {"-debuginfo"}}, records);
  CHECK(records == 6);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].name == "a-very-long-package-name-that-wraps");
  CHECK(rows[0].repo == "everything");
  CHECK(rows[1].name == "acl");
  CHECK(rows[1].repo == "os");
  CHECK(rows[2].repo.empty());  // @System: origin repo unknown
  CHECK(rows[3].repo == "epol");
  const auto bad =
      t::write(dir / "bad.txt", "Available Packages\nacl.x86_64 2.3.1 os\nfoo bar baz qux\n");
  REQUIRE_THROWS_WITH(importers::import_dnf_list(bad, {}, records),
                      Catch::Contains(bad.string() + ":3:"));
}

TEST_CASE("pckg-mgmt importer reads list and dict forms and reports YAML errors",
          "[kb][importers]") {
  const auto dir = t::scratch("pckg");
  const auto list =
      t::write(dir / "a.yaml", "packages:\n- name: zlib\n  date: '2024'\n- name: bash\n");
  CHECK(importers::import_pckg_mgmt(list) == std::vector<std::string>{"bash", "zlib"});
  const auto dict = t::write(dir / "b.yaml",
                             "packages:\n  natural:\n  - name: brasero\n  recycle: []\n"
                             "  delete:\n  - name: gone\n");
  CHECK(importers::import_pckg_mgmt(dict) == std::vector<std::string>{"brasero"});
  const auto bad = t::write(dir / "c.yaml", "packages:\n- name: a\n- [unclosed\n");
  REQUIRE_THROWS_WITH(importers::import_pckg_mgmt(bad), Catch::Contains(bad.string() + ":"));
  const auto noname = t::write(dir / "d.yaml", "packages:\n- version: 1\n");
  REQUIRE_THROWS_WITH(
      importers::import_pckg_mgmt(noname),
      Catch::Contains(noname.string() + ":2:") && Catch::Contains("without a 'name'"));
}

TEST_CASE("kABI importer joins the whitelist with Module.kabi CRCs", "[kb][importers]") {
  const auto dir = t::scratch("kabi");
  const auto wl = t::write(dir / "wl", "[_x86_64_whitelist]\n    alpha\n    gamma\n");
  const auto mk = t::write(dir / "mk",
                           "0x11\talpha\tvmlinux\tEXPORT_SYMBOL\t\n"
                           "0x22\tbeta\tvmlinux\tEXPORT_SYMBOL_GPL\n");
  std::uint64_t records = 0;
  auto rows = importers::import_kabi(wl, mk, records);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].symbol == "alpha");
  CHECK(rows[0].crc == "0x11");
  CHECK(rows[0].whitelisted);
  CHECK_FALSE(rows[1].whitelisted);  // beta: exported, not whitelisted
  CHECK(rows[2].symbol == "gamma");
  CHECK(rows[2].crc.empty());
  const auto bad =
      t::write(dir / "bad", "0x11\talpha\tvmlinux\tEXPORT_SYMBOL\nzz\tbeta\tvmlinux\tX\n");
  REQUIRE_THROWS_WITH(importers::import_kabi(std::nullopt, bad, records),
                      Catch::Contains(bad.string() + ":2:") && Catch::Contains("CRC"));
}

TEST_CASE("PES importer maps action codes and filters by release and arch", "[kb][importers]") {
  const auto dir = t::scratch("pes");
  auto ev = [](int action, const char* in, const char* out, const char* arches, int from, int to) {
    return std::string(R"({"action":)") + std::to_string(action) + R"(,"architectures":)" + arches +
           R"(,"in_packageset":{"package":[{"name":")" + in +
           R"(","repository":"base","module_stream":null}]},)" +
           R"("out_packageset":{"package":[)" + out + R"(]},)" +
           R"("initial_release":{"major_version":)" + std::to_string(from) +
           R"(,"minor_version":7,"os_name":"CentOS"},)" + R"("release":{"major_version":)" +
           std::to_string(to) + R"(,"minor_version":0,"os_name":"CentOS"}})";
  };
  const std::string split_out =
      R"({"name":"chrony","repository":"b8"},{"name":"ntpstat","repository":"b8"})";
  const auto f = t::write(
      dir / "pes.json", "{\"packageinfo\":[" +
                            ev(4, "ntp", split_out.c_str(), R"(["x86_64","aarch64"])", 7, 8) + "," +
                            ev(1, "tcp_wrappers", "", R"(["x86_64"])", 7, 8) + "," +
                            ev(7, "foo", R"({"name":"bar","repository":"b9"})", "[]", 8, 9) + "]}");
  std::uint64_t records = 0;
  auto x86 = importers::import_pes_events(f, 7, 8, "x86_64", records);
  CHECK(records == 3);
  REQUIRE(x86.size() == 2);
  CHECK(x86[0].action == "split");
  CHECK(x86[0].out == std::vector<std::string>{"chrony", "ntpstat"});
  CHECK(x86[0].from_release == "CentOS 7.7");
  CHECK(x86[1].action == "removed");
  CHECK(importers::import_pes_events(f, 7, 8, "aarch64", records).size() == 1);
  const auto bad = t::write(dir / "bad.json", "{\"packageinfo\": [\n{\"action\": 9}\n");
  REQUIRE_THROWS_WITH(importers::import_pes_events(bad, 7, 8, "x86_64", records),
                      Catch::Contains(bad.string() + ":3:"));
}

TEST_CASE("OpenSSH keyword importer picks the version column", "[kb][importers]") {
  const auto dir = t::scratch("ssh");
  const auto f = t::write(dir / "k.tsv",
                          "keyword\t7.4p1 (CentOS 7)\t8.8p1 (openEuler 22.03 LTS)\n"
                          "UsePrivilegeSeparation\tsupported\tdeprecated\n");
  auto rows = importers::import_openssh_keywords(f, "8.8p1");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == std::pair<std::string, std::string>{"useprivilegeseparation", "deprecated"});
  REQUIRE_THROWS_WITH(importers::import_openssh_keywords(f, "9.9p1"), Catch::Contains("no column"));
}

TEST_CASE("curated importer requires a reference and filters by source and target",
          "[kb][importers]") {
  const auto dir = t::scratch("curated");
  const auto f =
      t::write(dir / "c.yaml",
               "schema_version: 1\nentries:\n"
               "  - {id: a, action: renamed, from: [x], to: [y], sources: [centos-7],"
               " targets: [\"openeuler-22.03-*\"], reference: https://example.org/doc#s}\n");
  std::uint64_t records = 0;
  auto ev = importers::import_curated(f, "centos-7", "openeuler-22.03-lts-sp4", records);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].reference.find("https://example.org/doc#s") == 0);
  CHECK(importers::import_curated(f, "centos-8", "openeuler-22.03-lts-sp4", records).empty());
  const auto bad =
      t::write(dir / "bad.yaml",
               "schema_version: 1\nentries:\n  - id: a\n    action: renamed\n    from: [x]\n");
  REQUIRE_THROWS_WITH(importers::import_curated(bad, "centos-7", "t", records),
                      Catch::Contains(bad.string() + ":3:") && Catch::Contains("reference"));
}

TEST_CASE("version-table importer reads Markdown tables, diffs and odd cells", "[kb][importers]") {
  const auto dir = t::scratch("vt");
  const auto f = t::write(dir / "t.md",
                          "# Title\n\n| other | table |\n|---|---|\n| x | y |\n\n"
                          "| Software name | 20.03 LTS SP3 | 22.03 LTS | 备注 |\n"
                          "| ------------- | ------------- | --------- | ---- |\n"
                          "|\tacl\t|\t2.2.53\t|\t2.3.1\t|\t|\n"
                          "| python2 | 2.7.18 |  | dropped |\n"
                          "| setuptools | 1 | 69.0.3->68.0.0 | |\n"
                          "| libbounds | 1 | v1.1.11 | |\n"
                          "| macro | 1 | %{githubver} | |\n"
                          "| none | 1 | / | a \\| bar |\n"
                          "\ntext after the table\n| later | 9 | 9 | |\n");
  std::uint64_t records = 0;
  auto rows = importers::import_version_table(f, {"Software name", "22.03 LTS"}, records);
  CHECK(records == 6);
  REQUIRE(rows.size() == 3);
  CHECK((rows[0].name == "acl" && rows[0].version == "2.3.1"));
  CHECK((rows[1].name == "libbounds" && rows[1].version == "1.1.11"));
  CHECK((rows[2].name == "setuptools" && rows[2].version == "68.0.0"));
  records = 0;
  auto sp3 = importers::import_version_table(f, {"Software name", "20.03 LTS SP3"}, records);
  CHECK(sp3.size() == 6);  // python2 has a 20.03 version; the table ends at the blank line

  const auto diff = t::write(dir / "d.md",
                             "| Package | DiffType | Details |\n|---|---|---|\n"
                             "| xfsdump | version updated | from 3.1.9-3 to 3.1.11-1 |\n");
  records = 0;
  auto d = importers::import_version_table(diff, {"Package", "Details"}, records);
  REQUIRE(d.size() == 1);
  CHECK(d[0].version == "3.1.11-1");

  REQUIRE_THROWS_WITH(importers::import_version_table(f, {"Package", "Nope"}, records),
                      Catch::Contains("t.md") && Catch::Contains("no table with the columns"));
  const auto bad =
      t::write(dir / "b.md", "| Package | Details |\n|---|---|\n| ok | 1 |\n| short |\n");
  REQUIRE_THROWS_WITH(importers::import_version_table(bad, {"Package", "Details"}, records),
                      Catch::Contains("b.md:4:") && Catch::Contains("cells"));
  const auto twice =
      t::write(dir / "c.md", "| Package | Details |\n|---|---|\n| a | 1 |\n| a | 2 |\n");
  REQUIRE_THROWS_WITH(importers::import_version_table(twice, {"Package", "Details"}, records),
                      Catch::Contains("c.md:4:") && Catch::Contains("listed twice"));
}

TEST_CASE("importers on the real datasets", "[kb][importers][real]") {
  if (!t::have_sources()) {
    PREMIGRATE_SKIP(t::kb_sources() << " not present");
  }
  const auto src = t::kb_sources();
  SECTION("20.03-LTS-SP3 primary.xml: openssl-libs provides libssl.so.1.1()(64bit)") {
    importers::RepodataOptions o{"everything", {"x86_64", "noarch"}, {}, true};
    auto r = importers::import_repodata(
        src /
            "openeuler-pkgship-primary/"
            "openEuler-20.03-LTS-SP3-everything-x86_64+src.primary.xml.gz",
        o);
    CHECK(r.records == 16545);
    bool found = false;
    for (const auto& p : r.provides)
      found |= p.capability == "libssl.so.1.1()(64bit)" && p.package == "openssl-libs";
    CHECK(found);
  }
  SECTION("release-management: python2 in 20.03-LTS-SP3, absent from 22.03-LTS") {
    const auto rm = src / "openeuler-release-management";
    auto has = [&](const std::string& rel, const std::string& name) {
      for (const char* repo : {"baseos", "everything-exclude-baseos", "epol"}) {
        auto names = importers::import_pckg_mgmt(rm / rel / repo / "pckg-mgmt.yaml");
        if (std::binary_search(names.begin(), names.end(), name)) return true;
      }
      return false;
    };
    CHECK(has("openEuler-20.03-LTS-SP3", "python2"));
    CHECK_FALSE(has("openEuler-22.03-LTS", "python2"));
    CHECK(importers::import_pckg_mgmt(rm / "openEuler-20.03-LTS/pckg-mgmt.yaml").size() > 1000);
  }
  SECTION("release-management version tables: 22.03 LTS, its SP1 selection, 24.03 LTS") {
    const auto rm = src / "openeuler-release-management";
    auto version = [](const std::vector<SourceVersion>& rows, const std::string& name) {
      for (const auto& r : rows)
        if (r.name == name) return r.version;
      return std::string("(absent)");
    };
    std::uint64_t records = 0;
    const auto t2203 = rm / "openEuler-22.03-LTS/版本变更说明.md";
    auto ga = importers::import_version_table(t2203, {"Software name", "22.03 LTS"}, records);
    CHECK(records > 980);
    CHECK(version(ga, "openssh") == "8.8p1");
    CHECK(version(ga, "glibc") == "2.34");
    CHECK(version(ga, "python2") == "(absent)");  // dropped in 22.03 LTS
    auto sp3 = importers::import_version_table(t2203, {"Software name", "20.03 LTS SP3"}, records);
    CHECK(version(sp3, "python2") == "2.7.18");
    CHECK(version(sp3, "openssh") == "8.2p1");
    auto sp1 = importers::import_version_table(
        rm / "openEuler-22.03-LTS-SP1/openEuler-22.03-LTS-SP1 升级选型.md", {"Package", "Details"},
        records);
    CHECK(version(sp1, "xfsdump") == "3.1.11-1");
    records = 0;
    auto v2403 = importers::import_version_table(rm / "openEuler-24.03-LTS/全量软件包选型.md",
                                                 {"软件包", "版本号"}, records);
    CHECK(records > 3500);
    CHECK(version(v2403, "glibc") == "2.38");
    CHECK(version(v2403, "kernel") == "6.6.0");
  }
  SECTION("kABI 22.03-LTS-SP4 x86_64 and the kernel branch table") {
    std::uint64_t records = 0;
    const auto d = src / "openeuler-src-kernel-kabi/openEuler-22.03-LTS-SP4";
    auto rows =
        importers::import_kabi(d / "kabi_whitelist_x86_64", d / "Module.kabi_x86_64", records);
    CHECK(rows.size() == 3169);
    auto k = importers::import_kernel_branch(src / "openeuler-src-kernel-kabi/BRANCHES.txt",
                                             "openEuler-22.03-LTS-SP4");
    CHECK(k.version == "5.10.0");
    CHECK(k.release_at_snapshot == "5.10.0-242.0.0.141");
  }
}
