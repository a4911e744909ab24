// The rpm-exports importer on a library RPM built at test time (fixtures/lib-rpm): librpm
// reads the payload, libelf the library; then `kb build` puts it in a pack the checks can use.
#include "kb/rpm/rpm_exports.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "core/errors.hpp"
#include "kb/builder.hpp"
#include "kb/knowledge_base.hpp"
#include "kb/pack_format.hpp"
#include "support/skip.hpp"
#include "test_util.hpp"

namespace imp = premigrate::kb::importers;
namespace kb = premigrate::kb;
namespace t = premigrate::kb::test;

namespace {

const std::filesystem::path kFixture = PREMIGRATE_LIB_RPM_FIXTURE;

bool skipped() {
  if (!std::filesystem::exists(kFixture / "skipped")) return false;
  std::ifstream in(kFixture / "skipped");
  std::string why;
  std::getline(in, why);
  premigrate::test::skip(why);
  return true;
}

}  // namespace

TEST_CASE("rpm-exports reads the shared libraries of an RPM payload", "[kb][exports][rpm]") {
  if (skipped()) return;
  std::uint64_t records = 0;
  const auto libs = imp::import_rpm_exports({kFixture / "rpms"}, {}, records);
  REQUIRE(libs.size() == 1);  // the symlink and the text file are not libraries
  CHECK(records == 1);
  const auto& z = libs[0];
  CHECK(z.soname == "libz.so.1");
  CHECK(z.package == "zlib-newer");
  CHECK(z.version == "1.2.13-1.test");
  CHECK(z.file == "/usr/lib64/libz.so.1.2.13");
  CHECK(z.list.nodes == std::vector<std::string>{"ZLIB_1.2.0", "ZLIB_1.2.12"});
  auto has = [&](const std::string& v, const std::string& n) {
    return std::find(z.list.symbols.begin(), z.list.symbols.end(), std::make_pair(v, n)) !=
           z.list.symbols.end();
  };
  CHECK(has("ZLIB_1.2.12", "crc32_combine_gen"));
  CHECK(has("ZLIB_1.2.0", "compressBound"));
  CHECK(has("", "zlibVersion"));  // left global by the map: the base version
  imp::RpmExportOptions only_aarch64;
  only_aarch64.arches = {"aarch64"};
  records = 0;
  CHECK(imp::import_rpm_exports({kFixture / "rpms"}, only_aarch64, records).empty());
  const auto junk = t::write(t::scratch("rpm-junk") / "junk.rpm", "not an rpm at all\n");
  CHECK_THROWS_WITH(imp::import_rpm_exports({junk}, {}, records), Catch::Contains(junk.string()));
}

TEST_CASE("kb build with an rpm-exports dataset gives complete per-soname exports",
          "[kb][exports][rpm]") {
  if (skipped()) return;
  const auto dir = t::scratch("rpm-build");
  const auto manifest = t::write(dir / "m.json", R"({"schema_version": 1, "kb_version": "1.0.0",
    "default_build_date": "2025-01-15", "source_release": "centos-7",
    "target": "openeuler-24.03-lts", "arch": "x86_64", "unknown_reasons": {
      "binary_packages": "t", "source_packages": "t", "source_versions": "t",
      "dropped_packages": "t", "evolution": "t", "provides": "t", "files": "t", "kernel": "t",
      "kabi": "t", "source_kabi": "t", "openssh": "t"},
    "datasets": [{"id": "mirror", "importer": "rpm-exports", "inputs": {"rpms": "rpms"},
      "options": {"arches": ["x86_64"], "compat_packages": ["zlib-newer"]},
      "name": "test mirror", "origin": "fixtures/lib-rpm", "licence": "MIT",
      "facts": {"exports": {"coverage": "partial", "reason": "one package"}}}]})");
  kb::BuildOptions o{PREMIGRATE_KB_DIR, kFixture, "2025-01-15"};
  const auto pack = kb::build_pack(manifest, o);
  const auto k = kb::KnowledgeBase::from_text(kb::write_pack_text(pack), "built.json");
  const auto* lib = k.exports().library("libz.so.1");
  REQUIRE(lib);
  CHECK(lib->unversioned_complete);  // a real .dynsym lists every export
  CHECK(lib->compat);
  CHECK(lib->package == "zlib-newer");
  CHECK(k.exports().defines_node("libz.so.1", "ZLIB_1.2.12"));
  CHECK(k.exports().exports_symbol("libz.so.1", "crc32_combine_gen", "ZLIB_1.2.12"));
  CHECK_FALSE(k.exports().exports_symbol("libz.so.1", "crc32_combine_gen", "ZLIB_1.2.0"));
  CHECK(pack["datasets"][0]["rows"] == 1);
}
