// elf-version-nodes and elf-symbols (analyze/elf_exports.cpp): nodes of the version-need's
// file, symbols from the link map, weak and private needs, compat packages, libraries without
// export lists; then ELF programs built at test time against the shipped packs.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "analyze/analyze.hpp"
#include "analyze/data_files.hpp"
#include "collect/elf/elf_reader.hpp"
#include "core/data_paths.hpp"
#include "fixtures.hpp"
#include "kb/kb.hpp"
#include "support/skip.hpp"

using namespace premigrate;
using namespace premigrate::analyze;
namespace t = premigrate::analyze::test;
using nlohmann::json;

namespace {

const RuleSet& rules() {
  static const RuleSet r = load_rules({PREMIGRATE_RULES_DIR});
  return r;
}

Result analyse_one(const facts::Inventory& inv, const kb::KnowledgeBase& kb,
                   const std::string& target = "fam-1.0") {
  static const auto prof = t::profile();
  Input in{inv, rules(), prof, "centos-7", target, {}, {}, "2026-01-01"};
  in.archs.push_back({"x86_64", &kb, ""});
  core::Diagnostics diags;
  return run(in, diags);
}

const report::Finding* find(const Result& r, const std::string& rule, const std::string& subject) {
  for (const auto& f : r.findings)
    if (f.rule_id == rule && f.subject == subject) return &f;
  return nullptr;
}

bool verified(const Result& r, const std::string& path) {
  const auto* f = find(r, "PM-ELF-011", "linkage");
  return f && std::any_of(f->evidence.begin(), f->evidence.end(),
                          [&](const auto& e) { return e.subject == path; });
}

bool not_run_mentions(const Result& r, const std::string& check, const std::string& text) {
  return std::any_of(r.not_run.begin(), r.not_run.end(), [&](const auto& n) {
    return n.check == check && n.reason.find(text) != std::string::npos;
  });
}

// A CentOS 7 inventory whose collectors all ran, with no objects yet.
facts::Inventory base_inventory() {
  facts::Inventory inv;
  inv.host.source_release = "centos-7";
  inv.collectors = {{"rpmdb", facts::CollectorState::kOk, ""},
                    {"files", facts::CollectorState::kOk, ""}};
  return inv;
}

facts::ElfObject program(const std::string& path) {
  facts::ElfObject e;
  e.path = path;
  e.machine = "x86_64";
  e.elf_class = 64;
  e.type = "exec";
  e.interp = "/lib64/ld-linux-x86-64.so.2";
  return e;
}

// A glibc 2.34-like target: libpthread.so.0 is a stub that keeps the old nodes, the symbols
// live in libc.so.6 (PROVENANCE-3.md caveat 2).
kb::KnowledgeBase glibc234() {
  auto j = t::pack_json("x86_64", "complete");
  j["export_libraries"] = json::array(
      {json::array(
           {"libc.so.6", "glibc", "2.34", "complete", {"GLIBC_2.2.5", "GLIBC_2.34"}, false, 0}),
       json::array({"libpthread.so.0", "glibc", "2.34", "complete", {"GLIBC_2.2.5"}, false, 0}),
       json::array({"libpartial.so.1", "partial", "1", "partial", {"P_1"}, false, 0})});
  j["export_symbols"] = json::array(
      {json::array({"libc.so.6", "GLIBC_2.2.5", "pthread_create"}),
       json::array({"libc.so.6", "GLIBC_2.34", "pthread_create"}),
       json::array({"libc.so.6", "GLIBC_2.2.5", "puts"}),
       json::array({"libpthread.so.0", "GLIBC_2.2.5", "__libpthread_version_placeholder"}),
       json::array({"libpartial.so.1", "P_1", "p_one"})});
  return kb::KnowledgeBase::from_text(j.dump(), "glibc234.json");
}

}  // namespace

TEST_CASE("export checks on the problem inventory: node missing, compat only, verified",
          "[analyze][exports]") {
  const auto kb = t::pack("x86_64", "complete");
  const auto r = analyse_one(t::problem_inventory(), kb);
  const auto* f = find(r, "PM-ELF-009", "/opt/z/bin/znew");
  REQUIRE(f);
  CHECK(f->severity == report::Severity::kBlocker);
  CHECK(f->message.find("libz.so.1 ZLIB_1.2.12 (version node)") != std::string::npos);
  // One finding per binary: the symbol of the missing node is not repeated.
  CHECK(f->message.find("crc32_combine_gen") == std::string::npos);
  const auto* compat = find(r, "PM-ELF-010", "/opt/ssl/bin/ssl11");
  REQUIRE(compat);
  CHECK(compat->remediation.find("compat-openssl11-libs") != std::string::npos);
  CHECK(verified(r, "/opt/z/bin/zok"));  // its weak __gmon_start__ is not required
  CHECK_FALSE(verified(r, "/opt/z/bin/znew"));
  CHECK_FALSE(find(r, "PM-ELF-009", "/opt/z/bin/zok"));
  // libc.so.6 has no export list in this pack: named in the not-checked list, never passed.
  CHECK(not_run_mentions(r, "elf-library-exports", "libc.so.6"));
  CHECK_FALSE(verified(r, "/opt/app/bin/app"));
  // Export data is present: the generic limitations are gone.
  CHECK_FALSE(not_run_mentions(r, "elf-symbols", ""));
  CHECK_FALSE(not_run_mentions(r, "elf-version-nodes", ""));
}

TEST_CASE("a missing node and a compat-only library: one finding naming both",
          "[analyze][exports]") {
  const auto kb = t::pack("x86_64", "complete");
  auto inv = base_inventory();
  auto both = program("/opt/b/both");
  both.needed = {"libz.so.1", "libssl.so.1.1"};
  both.verneed = {{"libz.so.1", {"ZLIB_1.2.12"}}, {"libssl.so.1.1", {"OPENSSL_1_1_0"}}};
  both.undefined = {{"SSL_new", "OPENSSL_1_1_0", "libssl.so.1.1", false}};
  inv.elf_objects.push_back(both);
  const auto r = analyse_one(inv, kb);
  const auto* f = find(r, "PM-ELF-009", "/opt/b/both");
  REQUIRE(f);
  CHECK(f->message.find("libz.so.1 ZLIB_1.2.12 (version node); and libraries only in "
                        "compat-openssl11-libs") != std::string::npos);
  CHECK_FALSE(find(r, "PM-ELF-010", "/opt/b/both"));
}

TEST_CASE("a symbol may come from any object of the link map, a node only from its file",
          "[analyze][exports]") {
  const auto kb = glibc234();
  auto inv = base_inventory();
  // Built on glibc 2.17: pthread_create@GLIBC_2.2.5 from libpthread.so.0, which on 2.34 is a
  // stub; the symbol is in libc.so.6, which the binary also needs.
  auto old = program("/opt/a/old");
  old.needed = {"libpthread.so.0", "libc.so.6"};
  old.verneed = {{"libpthread.so.0", {"GLIBC_2.2.5"}}, {"libc.so.6", {"GLIBC_2.2.5"}}};
  old.undefined = {{"pthread_create", "GLIBC_2.2.5", "libpthread.so.0", false},
                   {"puts", "GLIBC_2.2.5", "libc.so.6", false}};
  inv.elf_objects.push_back(old);
  // GLIBC_2.34 is a node of libc.so.6, not of libpthread.so.0: asking it of libpthread fails
  // even though libc defines it.
  auto wrong = program("/opt/a/wrong");
  wrong.needed = {"libpthread.so.0", "libc.so.6"};
  wrong.verneed = {{"libpthread.so.0", {"GLIBC_2.34"}}};
  wrong.undefined = {{"pthread_create", "GLIBC_2.34", "libpthread.so.0", false}};
  inv.elf_objects.push_back(wrong);
  // Unversioned: missing from every (complete) object of the link map.
  auto unv = program("/opt/a/unversioned");
  unv.needed = {"libc.so.6"};
  unv.undefined = {{"no_such_function", "", "", false}, {"puts", "", "", false}};
  inv.elf_objects.push_back(unv);
  // A partial list proves nothing missing; GLIBC_PRIVATE is not in the public lists.
  auto part = program("/opt/a/partial");
  part.needed = {"libpartial.so.1", "libc.so.6"};
  part.verneed = {{"libpartial.so.1", {"P_2"}}, {"libc.so.6", {"GLIBC_PRIVATE"}}};
  part.undefined = {{"p_two", "P_2", "libpartial.so.1", false}};
  inv.elf_objects.push_back(part);
  // glibc 2.36's symbol-less marker node is in no abilist: not checked, never missing.
  auto relr = program("/opt/a/relr");
  relr.needed = {"libc.so.6"};
  relr.verneed = {{"libc.so.6", {"GLIBC_ABI_DT_RELR", "GLIBC_2.2.5"}}};
  relr.undefined = {{"puts", "GLIBC_2.2.5", "libc.so.6", false}};
  inv.elf_objects.push_back(relr);
  // A library's unversioned needs may come from the program that loads it.
  auto plugin = program("/opt/a/plugin.so");
  plugin.type = "dyn";
  plugin.interp.clear();
  plugin.needed = {"libc.so.6"};
  plugin.undefined = {{"host_callback", "", "", false}};
  inv.elf_objects.push_back(plugin);

  const auto r = analyse_one(inv, kb);
  CHECK(verified(r, "/opt/a/old"));
  CHECK_FALSE(find(r, "PM-ELF-009", "/opt/a/old"));
  const auto* w = find(r, "PM-ELF-009", "/opt/a/wrong");
  REQUIRE(w);
  CHECK(w->message.find("libpthread.so.0 GLIBC_2.34 (version node)") != std::string::npos);
  const auto* u = find(r, "PM-ELF-009", "/opt/a/unversioned");
  REQUIRE(u);
  CHECK(u->message.find("no_such_function") != std::string::npos);
  CHECK(u->message.find("puts") == std::string::npos);
  CHECK_FALSE(find(r, "PM-ELF-009", "/opt/a/partial"));
  CHECK_FALSE(verified(r, "/opt/a/partial"));
  CHECK(not_run_mentions(r, "elf-library-exports", "*_PRIVATE"));
  CHECK_FALSE(find(r, "PM-ELF-009", "/opt/a/relr"));
  CHECK_FALSE(verified(r, "/opt/a/relr"));
  CHECK_FALSE(find(r, "PM-ELF-009", "/opt/a/plugin.so"));
  CHECK(verified(r, "/opt/a/plugin.so"));
  const auto* v = find(r, "PM-ELF-011", "linkage");
  REQUIRE(v);
  CHECK(v->message.find("2 of 6 checked") != std::string::npos);
}

namespace {

std::optional<facts::ElfObject> read_fixture(const std::string& name, const std::string& as) {
  const std::string path = std::string(PREMIGRATE_ELF_FIXTURES) + "/bin/" + name;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  core::Diagnostics diags;
  auto e = collect::elf::read_elf(fd, as, diags);
  ::close(fd);
  return e;
}

}  // namespace

TEST_CASE("programs built here against the shipped packs: a node newer than the target ships",
          "[analyze][exports][elf]") {
  // zprog needs ZLIB_1.2.12 (zlib 1.2.12+), zlibVersion unversioned and, built with
  // glibc >= 2.34, GLIBC_2.34; zprog_old needs compressBound@ZLIB_1.2.0 and glibc's nodes.
  auto zprog = read_fixture("zprog", "/opt/z/bin/zprog");
  auto zold = read_fixture("zprog_old", "/opt/z/bin/zprog_old");
  REQUIRE(zprog);
  REQUIRE(zold);
  const auto glibc = std::find_if(zprog->verneed.begin(), zprog->verneed.end(),
                                  [](const auto& v) { return v.file == "libc.so.6"; });
  REQUIRE(glibc != zprog->verneed.end());
  const bool needs_234 = std::count(glibc->versions.begin(), glibc->versions.end(), "GLIBC_2.34");
  if (zprog->machine != "x86_64") {
    PREMIGRATE_SKIP("the fixtures are not x86_64");
  }
  auto inv = base_inventory();
  inv.elf_objects = {*zprog, *zold};
  const auto kb_dir = core::find_data_dir("knowledgebase");
  auto load = [&](const std::string& target) {
    return kb::read_pack_file(kb_dir / "packs" / ("centos-7_to_" + target + "_x86_64.json"));
  };
  SECTION("22.03 LTS SP3 ships zlib 1.2.11: ZLIB_1.2.12 is missing, the old program links") {
    const auto kb = load("openeuler-22.03-lts-sp3");
    REQUIRE(kb.exports().library("libz.so.1"));
    const auto r = analyse_one(inv, kb, "openeuler-22.03-lts-sp3");
    const auto* f = find(r, "PM-ELF-009", "/opt/z/bin/zprog");
    REQUIRE(f);
    CHECK(f->message.find("libz.so.1 ZLIB_1.2.12 (version node)") != std::string::npos);
    CHECK(f->message.find("GLIBC_2.34") == std::string::npos);
    CHECK(verified(r, "/opt/z/bin/zprog_old"));
  }
  SECTION(
      "24.03 LTS ships zlib 1.2.13 and glibc 2.38: no finding; unversioned needs of zlib "
      "unproven") {
    const auto kb = load("openeuler-24.03-lts");
    const auto r = analyse_one(inv, kb, "openeuler-24.03-lts");
    CHECK_FALSE(find(r, "PM-ELF-009", "/opt/z/bin/zprog"));
    // zlib.map leaves unlisted symbols global (no "local: *"): zlibVersion can be neither
    // found nor refuted, so zprog is not counted as proven, and the gap is listed.
    CHECK_FALSE(verified(r, "/opt/z/bin/zprog"));
    CHECK(not_run_mentions(r, "elf-library-exports", "libz.so.1"));
    CHECK(verified(r, "/opt/z/bin/zprog_old"));
  }
  SECTION("20.03 LTS SP3 ships glibc 2.28: GLIBC_2.34 is missing too") {
    const auto kb = load("openeuler-20.03-lts-sp3");
    const auto r = analyse_one(inv, kb, "openeuler-20.03-lts-sp3");
    const auto* f = find(r, "PM-ELF-009", "/opt/z/bin/zprog");
    REQUIRE(f);
    CHECK(f->message.find("libz.so.1 ZLIB_1.2.12 (version node)") != std::string::npos);
    if (needs_234) {
      CHECK(f->message.find("libc.so.6 GLIBC_2.34 (version node)") != std::string::npos);
      CHECK(find(r, "PM-ELF-009", "/opt/z/bin/zprog_old"));
    }
  }
}
