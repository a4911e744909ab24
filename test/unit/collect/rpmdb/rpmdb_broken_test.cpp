// Broken, foreign and absent rpmdbs: a clear status and diagnostic naming the path, never a
// crash, and packages read before a corruption are kept.
#include <catch2/catch.hpp>

#include "collect/rpmdb/bdb_empty.hpp"
#include "rpmdb_test_util.hpp"
#include "support/skip.hpp"

using namespace rpmdb_test;
using premigrate::collect::rpmdb::read_rpmdb;
using premigrate::core::Diagnostic;
using premigrate::core::Diagnostics;
using premigrate::core::RootFs;

namespace {
const Diagnostic* diag(const Diagnostics& d, const std::string& code) {
  static std::vector<Diagnostic> keep;
  keep = d.sorted();
  for (const auto& x : keep) {
    if (x.code == code) return &x;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("an empty root and a root without an rpmdb: missing, said clearly") {
  for (const char* name : {"empty-root", "no-rpmdb-root"}) {
    INFO(name);
    Diagnostics diags;
    auto r = read_rpmdb(RootFs(fixture(name)), diags);
    CHECK(r.info.status == "missing");
    CHECK(r.packages.empty());
    CHECK(r.info.message.find("/var/lib/rpm") != std::string::npos);
    CHECK(r.info.message.find("/usr/lib/sysimage/rpm") != std::string::npos);
    const auto* d = diag(diags, "rpmdb.missing");
    REQUIRE(d);
    CHECK(d->level == premigrate::core::DiagLevel::kWarning);
  }
}

TEST_CASE("an ndb rpmdb is named and refused") {
  Diagnostics diags;
  auto r = read_rpmdb(RootFs(fixture("ndb-root")), diags);
  CHECK(r.info.status == "unsupported");
  CHECK(r.info.backend == "ndb");
  CHECK(r.info.message.find("/var/lib/rpm/Packages.db") != std::string::npos);
  const auto* d = diag(diags, "rpmdb.unsupported");
  REQUIRE(d);
  CHECK(d->path == "/var/lib/rpm/Packages.db");
}

TEST_CASE("a valid but empty Berkeley DB rpmdb is ok with no packages, as rpm -qa lists none") {
  // librpm's bdb_ro says "error reading Packages database" for it; `rpm -qa` prints nothing
  // and exits 0. A freshly initialised root is empty, not corrupt.
  Diagnostics diags;
  auto r = read_rpmdb(RootFs(fixture("empty-bdb-root")), diags);
  CHECK(r.info.status == "ok");
  CHECK(r.info.backend == "bdb");
  CHECK(r.info.package_count == 0);
  CHECK(r.packages.empty());
  CHECK(diags.sorted().empty());
}

TEST_CASE("only an empty hash database counts as empty") {
  using premigrate::collect::rpmdb::bdb_hash_is_empty;
  CHECK(bdb_hash_is_empty(fixture("empty-bdb-root") / "var/lib/rpm/Packages"));
  for (const char* root :
       {"bdb-root", "garbage-bdb-root", "truncated-bdb-root", "empty-file-root"}) {
    INFO(root);
    CHECK_FALSE(bdb_hash_is_empty(fixture(root) / "var/lib/rpm/Packages"));
  }
  CHECK_FALSE(bdb_hash_is_empty(fixture("sqlite-root") / "var/lib/rpm/rpmdb.sqlite"));
  CHECK_FALSE(bdb_hash_is_empty(fixture("empty-bdb-root") / "no-such-file"));
}

TEST_CASE("an empty Packages file is not a database") {
  Diagnostics diags;
  auto r = read_rpmdb(RootFs(fixture("empty-file-root")), diags);
  CHECK(r.info.status == "corrupt");
  CHECK(r.info.backend == "unknown");
  const auto* d = diag(diags, "rpmdb.corrupt");
  REQUIRE(d);
  CHECK(d->path == "/var/lib/rpm/Packages");
  CHECK(d->message.find("too short") != std::string::npos);
}

TEST_CASE("garbage and truncated databases: corrupt, with librpm's reason, no crash") {
  struct Case {
    const char* root;
    const char* backend;
    const char* db;
  };
  for (Case c : {Case{"garbage-bdb-root", "bdb", "/var/lib/rpm/Packages"},
                 Case{"truncated-bdb-root", "bdb", "/var/lib/rpm/Packages"},
                 Case{"garbage-sqlite-root", "sqlite", "/var/lib/rpm/rpmdb.sqlite"},
                 Case{"truncated-sqlite-root", "sqlite", "/var/lib/rpm/rpmdb.sqlite"}}) {
    INFO(c.root);
    Diagnostics diags;
    auto r = read_rpmdb(RootFs(fixture(c.root)), diags);
    CHECK(r.info.backend == c.backend);
    CHECK(r.info.status == "corrupt");
    CHECK(r.packages.empty());
    const auto* d = diag(diags, "rpmdb.corrupt");
    REQUIRE(d);
    CHECK(d->path == c.db);
    const auto* lib = diag(diags, "rpmdb.librpm");
    REQUIRE(lib);  // librpm's own words, captured instead of printed
    CHECK(lib->message.find("/tmp/premigrate.") == std::string::npos);  // no scratch paths
  }
}

TEST_CASE("a Berkeley DB truncated mid-way keeps the packages read before the damage") {
  if (!shared_present()) {
    PREMIGRATE_SKIP("needs the el7 root built from ../shared/fixtures");
  }
  // Cut the real-package Berkeley DB in half, in a scratch root.
  premigrate::core::TempDir tmp;
  const auto src = fixture("el7-bdb-root") / "var/lib/rpm/Packages";
  const auto dst_dir = tmp.path() / "var/lib/rpm";
  fs::create_directories(dst_dir);
  {
    std::ifstream in(src, std::ios::binary);
    std::ofstream out(dst_dir / "Packages", std::ios::binary);
    std::string buf(fs::file_size(src) / 2, '\0');
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  }
  Diagnostics diags;
  auto r = read_rpmdb(RootFs(tmp.path()), diags);
  CHECK(r.info.status == "partial");
  CHECK_FALSE(r.packages.empty());
  CHECK(r.packages.size() < 30);
  CHECK(r.info.package_count == r.packages.size());
  REQUIRE(diag(diags, "rpmdb.librpm"));
}
