// Files are tied to their package even when the packaged path runs through a directory symlink.
#include "collect/files/ownership.hpp"

#include <catch2/catch.hpp>

#include "collect/files/walker.hpp"
#include "core/temp_dir.hpp"
#include "walk_fixture.hpp"

namespace fs = std::filesystem;
namespace files = premigrate::collect::files;
using premigrate::core::RootFs;
using premigrate::core::TempDir;

namespace {
premigrate::facts::Package make_pkg(const std::string& name, std::vector<std::string> paths) {
  premigrate::facts::Package p;
  p.name = name;
  p.version = "1.0";
  p.release = "1.el7";
  p.arch = "x86_64";
  for (auto& path : paths) {
    premigrate::facts::PackageFile f;
    f.path = std::move(path);
    p.files.push_back(f);
  }
  return p;
}
}  // namespace

TEST_CASE("ownership through a /lib64 -> usr/lib64 symlink") {
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  walk_test::write(r / "usr/lib64/libdemo.so.1", "lib");
  walk_test::write(r / "usr/bin/demo", "bin");
  walk_test::write(r / "opt/stray", "stray");
  fs::create_symlink("usr/lib64", r / "lib64");
  fs::create_symlink("usr/bin", r / "bin");
  RootFs root(r);
  std::vector<premigrate::facts::Package> pkgs{
      make_pkg("demo-libs", {"/lib64/libdemo.so.1", "/lib64"}),
      make_pkg("demo", {"/bin/demo", "/usr/bin/demo"}),
      // A second owner of the same file: the smaller NEVRA wins whatever the order.
      make_pkg("aaa-compat", {"/usr/bin/demo"})};
  files::OwnershipIndex idx(root, pkgs);
  REQUIRE(idx.owner("/usr/lib64/libdemo.so.1") != nullptr);
  CHECK(*idx.owner("/usr/lib64/libdemo.so.1") == "demo-libs-1.0-1.el7.x86_64");
  CHECK(*idx.owner("/lib64/libdemo.so.1") == "demo-libs-1.0-1.el7.x86_64");  // as packaged
  CHECK(*idx.owner("/lib64") == "demo-libs-1.0-1.el7.x86_64");  // the link itself, unresolved
  CHECK(*idx.owner("/usr/bin/demo") == "aaa-compat-1.0-1.el7.x86_64");
  CHECK(idx.owner("/opt/stray") == nullptr);

  premigrate::core::Diagnostics diags;
  walk_test::Recorder rec;
  auto s = files::walk(root, {}, &idx, &rec, diags);
  CHECK(s.files == 3);
  CHECK(s.unpackaged_files == 1);
  CHECK(rec.files["/usr/lib64/libdemo.so.1"].owner == "demo-libs-1.0-1.el7.x86_64");
  CHECK(rec.files["/opt/stray"].owner.empty());
}
