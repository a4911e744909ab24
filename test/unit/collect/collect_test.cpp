// collect_inventory end to end on a root built here: scripts, services, cron, host facts,
// an ELF file, and the same JSON from two runs with different worker counts.
#include "collect/collect.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/temp_dir.hpp"

namespace fs = std::filesystem;
using premigrate::collect::collect_inventory;
using premigrate::collect::CollectOptions;
using premigrate::core::Diagnostics;
using premigrate::core::RootFs;
using premigrate::core::TempDir;

namespace {
void write(const fs::path& p, const std::string& text, bool exec = false) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  if (exec) fs::permissions(p, fs::perms::owner_all | fs::perms::group_read);
}

fs::path build_root(const fs::path& r) {
  write(r / "etc/os-release", "ID=\"centos\"\nVERSION_ID=\"7\"\nNAME=\"CentOS Linux\"\n");
  write(r / "usr/bin/tool.py", "#!/usr/bin/env python\nprint('x')\n", true);
  write(r / "usr/share/doc/example.sh", "#!/bin/sh\n");  // not executable, not a program dir
  write(r / "opt/app/run\xff.sh", "#!/bin/bash -e\n", true);
  write(r / "usr/lib/systemd/system/app.service", "[Service]\nExecStart=-/opt/app/run.sh\n");
  fs::create_directories(r / "etc/systemd/system/multi-user.target.wants");
  fs::create_symlink("/usr/lib/systemd/system/app.service",
                     r / "etc/systemd/system/multi-user.target.wants/app.service");
  write(r / "etc/cron.d/job", "0 * * * * root /usr/bin/tool.py\n");
  fs::copy_file("/bin/true", r / "usr/bin/true");
  fs::create_directories(r / "proc/1");
  return r;
}
}  // namespace

TEST_CASE("collect_inventory fills the inventory from every collector") {
  TempDir tmp;
  RootFs root(build_root(tmp.path() / "root"));
  Diagnostics diags;
  CollectOptions opts;
  opts.jobs = 2;
  auto inv = collect_inventory(root, opts, diags);
  CHECK(inv.rpmdb.status == "missing");
  CHECK(inv.host.source_release == "centos-7");
  REQUIRE(inv.scripts.size() == 2);
  CHECK(inv.scripts[0].path == "/opt/app/run\\xff.sh");
  CHECK(inv.scripts[0].program == "/bin/bash");
  CHECK(inv.scripts[1].path == "/usr/bin/tool.py");
  CHECK(inv.scripts[1].program == "python");
  REQUIRE(inv.elf_objects.size() == 1);
  CHECK(inv.elf_objects[0].path == "/usr/bin/true");
  CHECK(inv.walk.elf_objects == 1);
  CHECK(inv.walk.unpackaged_files == inv.walk.files);
  CHECK(std::find(inv.host.architectures.begin(), inv.host.architectures.end(),
                  inv.elf_objects[0].machine) != inv.host.architectures.end());
  REQUIRE(inv.services.size() == 1);
  CHECK(inv.services[0].enabled);
  CHECK(inv.host.enabled_services == std::vector<std::string>{"app.service"});
  REQUIRE(inv.cron_jobs.size() == 1);
  CHECK(inv.cron_jobs[0].program == "/usr/bin/tool.py");
  // An image's /proc is a plain (here empty) directory: only the live host's / skips it by name.
  CHECK(inv.walk.skipped_mounts.empty());
  std::map<std::string, std::string> status;
  for (const auto& c : inv.collectors)
    status[c.name] = std::string(premigrate::facts::to_string(c.status));
  CHECK(status["rpmdb"] == "skipped");
  CHECK(status["files"] == "ok");
  CHECK(status["host"] == "ok");
}

TEST_CASE("two collections of the same root give identical JSON") {
  TempDir tmp;
  RootFs root(build_root(tmp.path() / "root"));
  for (int i = 0; i < 50; ++i) {
    write(tmp.path() / "root/usr/libexec/d" / std::to_string(i % 7) / ("s" + std::to_string(i)),
          "#!/usr/bin/env -S perl -w\n");
  }
  Diagnostics d1, d2;
  CollectOptions o1, o2;
  o1.jobs = 1;
  o2.jobs = 4;
  const nlohmann::json j1 = collect_inventory(root, o1, d1);
  const nlohmann::json j2 = collect_inventory(root, o2, d2);
  CHECK(j1["scripts"].size() == 52);
  CHECK(j1.dump() == j2.dump());
  auto lines = [](const Diagnostics& d) {
    std::string out;
    for (const auto& x : d.sorted()) {
      out += x.code + "|" + x.path + "|" + x.where + "|" + x.message + "|" +
             std::to_string(x.count) + "\n";
    }
    return out;
  };
  CHECK(lines(d1) == lines(d2));
}

TEST_CASE("a module under kernel/ that no package owns is out of tree, once ownership is known") {
  const fs::path fixtures(PREMIGRATE_FIXTURE_DIR);
  const fs::path ko = fixtures / "kmod/intree.ko";
  REQUIRE(fs::exists(ko));
  const std::string rel = "lib/modules/3.10.0-1160.el7.x86_64/kernel/drivers/misc/intree.ko";
  TempDir tmp;
  // With an rpmdb: nothing owns the module, so it was put there by hand or by a script.
  const fs::path with_db = tmp.path() / "with-db";
  fs::copy(fixtures / "rpm/sqlite-root", with_db, fs::copy_options::recursive);
  fs::create_directories((with_db / rel).parent_path());
  fs::copy_file(ko, with_db / rel);
  // Without one: ownership is unknown, so only the location decides.
  const fs::path no_db = tmp.path() / "no-db";
  fs::create_directories((no_db / rel).parent_path());
  fs::copy_file(ko, no_db / rel);

  Diagnostics d1;
  auto a = collect_inventory(RootFs(with_db), CollectOptions{}, d1);
  REQUIRE(a.rpmdb.status == "ok");
  REQUIRE(a.kernel_modules.size() == 1);
  CHECK(a.kernel_modules[0].location == "kernel");
  CHECK(a.kernel_modules[0].package.empty());
  CHECK(a.kernel_modules[0].out_of_tree);

  Diagnostics d2;
  auto b = collect_inventory(RootFs(no_db), CollectOptions{}, d2);
  REQUIRE(b.kernel_modules.size() == 1);
  CHECK_FALSE(b.kernel_modules[0].out_of_tree);
}

TEST_CASE("a directory swapped for a link out of the root mid-scan: diagnostic, nothing outside") {
  TempDir tmp;
  const fs::path r = build_root(tmp.path() / "root");
  const fs::path outside = tmp.path() / "outside";
  write(outside / "evil.py", "#!/usr/bin/python3 -outside\n", true);
  fs::copy_file("/bin/true", outside / "evil-elf");
  write(r / "opt/vendor/bin/ok.sh", "#!/bin/ksh\n", true);
  CollectOptions opts;
  opts.jobs = 2;
  int swaps = 0;
  opts.before_open = [&](const std::string& path) {
    if (path != "/opt/vendor") return;
    ++swaps;
    fs::rename(r / "opt/vendor", r / "opt/vendor.moved");
    fs::create_symlink(outside, r / "opt/vendor");
  };
  Diagnostics diags;
  const auto inv = collect_inventory(RootFs(r), opts, diags);
  CHECK(swaps == 1);
  bool changed = false;
  for (const auto& d : diags.sorted()) {
    changed = changed || (d.code == "walk.changed" && d.path == "/opt/vendor");
  }
  CHECK(changed);
  for (const auto& s : inv.scripts) {
    CHECK(s.path.find("evil") == std::string::npos);
    CHECK(s.program != "/usr/bin/python3");
  }
  REQUIRE(inv.elf_objects.size() == 1);  // /usr/bin/true only
  CHECK(inv.elf_objects[0].path == "/usr/bin/true");
  // The rest of the scan is intact, and the inventory is valid JSON that reads back.
  CHECK(inv.host.source_release == "centos-7");
  CHECK(inv.scripts.size() == 2);
  std::ostringstream out;
  premigrate::facts::write_json(out, inv, nlohmann::json::object());
  const auto j = nlohmann::json::parse(out.str());
  premigrate::facts::Inventory back;
  premigrate::facts::from_json(j, back);
  CHECK(back.scripts.size() == inv.scripts.size());
  CHECK(back.elf_objects.size() == 1);
}

TEST_CASE("ElfSymbols::kUnpackaged: a packaged object's symbols wait for the second phase") {
  const fs::path fixtures(PREMIGRATE_FIXTURE_DIR);
  TempDir tmp;
  const fs::path r = tmp.path() / "root";
  fs::copy(fixtures / "rpm/sqlite-root", r, fs::copy_options::recursive);
  // /usr/bin/demo belongs to centos-demo; /usr/bin/mine to no package. Both the same program.
  fs::remove(r / "usr/bin/demo");
  fs::copy_file("/bin/true", r / "usr/bin/demo");
  fs::copy_file("/bin/true", r / "usr/bin/mine");
  const RootFs root(r);
  auto object = [](const premigrate::facts::Inventory& inv, const std::string& path) {
    for (const auto& o : inv.elf_objects)
      if (o.path == path) return o;
    FAIL("no ELF object " << path);
    return premigrate::facts::ElfObject{};
  };
  Diagnostics d_all, d_some;
  CollectOptions all, some;
  some.elf_symbols = premigrate::collect::ElfSymbols::kUnpackaged;
  const auto full = collect_inventory(root, all, d_all);
  auto part = collect_inventory(root, some, d_some);
  REQUIRE(full.rpmdb.status == "ok");
  const auto demo_full = object(full, "/usr/bin/demo");
  REQUIRE_FALSE(demo_full.package.empty());
  REQUIRE_FALSE(demo_full.undefined.empty());
  CHECK_FALSE(demo_full.symbols_pending);

  auto demo = object(part, "/usr/bin/demo");
  CHECK(demo.symbols_pending);
  CHECK(demo.undefined.empty());
  CHECK(demo.needed == demo_full.needed);
  CHECK(demo.verneed == demo_full.verneed);
  const auto mine = object(part, "/usr/bin/mine");  // unpackaged: read in the first phase
  CHECK_FALSE(mine.symbols_pending);
  CHECK(nlohmann::json(mine) == nlohmann::json(object(full, "/usr/bin/mine")));

  // The second phase reads what `wanted` names, and gives what one full read gives.
  int asked = 0, asked_exports = 0;
  premigrate::collect::read_deferred_symbols(
      root, part,
      [&](const premigrate::facts::ElfObject& o) {
        ++asked;
        return o.path == "/usr/bin/demo";
      },
      [&](const premigrate::facts::ElfObject&) {
        ++asked_exports;
        return true;
      },
      d_some);
  CHECK(asked == 1);          // only pending objects are considered
  CHECK(asked_exports == 0);  // a program has no exports to read
  CHECK(nlohmann::json(part) == nlohmann::json(full));
  CHECK(d_some.size() == d_all.size());
}
