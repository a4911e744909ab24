// scan::run end to end on the sqlite fixture root (rpmdb and host facts, no walk): the formats
// come from the table, a KB that fails after collection still leaves the error report, and the
// inventory JSON alone gives the report the root gives.
#include "scan/scan.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "analyze/data_files.hpp"
#include "core/errors.hpp"
#include "core/root_fs.hpp"
#include "facts/inventory.hpp"
#include "kb/kb.hpp"
#include "kb/pack_format.hpp"
#include "scan/facts_source.hpp"
#include "support/process.hpp"

namespace fs = std::filesystem;
using premigrate::testing::slurp;
using premigrate::testing::spit;
namespace scan = premigrate::scan;
namespace render = premigrate::render;

namespace {

fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::path(SCAN_TEST_WORK_DIR) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

scan::ScanRequest request(const fs::path& out) {
  scan::ScanRequest req;
  req.root = (fs::path(PREMIGRATE_FIXTURE_DIR) / "rpm" / "sqlite-root").string();
  req.collect.walk_files = false;
  req.collect.jobs = 1;
  req.kb_dir = PREMIGRATE_KB_DIR;
  req.source = "centos-8";  // the fixture root has no release file
  req.archs = {premigrate::core::Arch::kX8664};
  req.formats = {render::find_output_format("json"), render::find_output_format("text")};
  req.output_dir = out;
  req.tool_version = "test";
  req.generated_at = "2024-01-02T03:04:05Z";
  return req;
}

}  // namespace

TEST_CASE("the format table names every format once, with its own file") {
  std::set<std::string> names;
  std::set<std::string> files;
  std::string listed;
  for (const auto& f : render::output_formats()) {
    CHECK(names.insert(std::string(f.name)).second);
    CHECK(files.insert(std::string(f.file_name)).second);
    CHECK(render::find_output_format(f.name) == &f);
    CHECK(f.write != nullptr);
    (listed += listed.empty() ? "" : ", ") += f.name;
  }
  for (const char* f : {"json", "html", "text", "junit", "sarif"}) CHECK(names.count(f) == 1);
  CHECK(render::find_output_format("pdf") == nullptr);
  CHECK(render::output_format_names_text() == listed);
}

TEST_CASE("scan::run writes the requested formats and returns the model they show") {
  const auto dir = fresh_dir("formats");
  const auto outcome = scan::run(request(dir / "o"));
  REQUIRE(outcome.written == std::vector<fs::path>{dir / "o" / "premigrate-report.json",
                                                   dir / "o" / "premigrate-report.txt"});
  CHECK_FALSE(fs::exists(dir / "o" / "premigrate-report.html"));
  const auto json = nlohmann::json::parse(slurp(outcome.written[0]));
  CHECK(json["findings"].size() == outcome.report.findings.size());
  CHECK(json["source"] == "centos-8");
  CHECK(json["archs"] == nlohmann::json::array({"x86_64"}));
  CHECK(outcome.doc["findings"].size() == outcome.report.findings.size());
  CHECK(slurp(outcome.written[1]).find("x86_64") != std::string::npos);
}

TEST_CASE(
    "scan::run makes the terminal summary beside the formats only when asked, and a run "
    "that leaves its facts to the process's end reports the same") {
  const auto dir = fresh_dir("summary");
  const auto plain = scan::run(request(dir / "plain"));
  CHECK(plain.summary.empty());
  auto req = request(dir / "summary");
  req.summary_color = false;
  req.exit_after = true;  // the inventory and the packs are kept, not freed: same report
  const auto outcome = scan::run(req);
  CHECK(outcome.summary == slurp(outcome.written[1]));  // the text format, uncoloured
  CHECK(outcome.summary.find("\033[") == std::string::npos);
  CHECK(slurp(outcome.written[0]) == slurp(plain.written[0]));
  req.summary_color = true;
  req.output_dir = dir / "colour";
  const auto coloured = scan::run(req);
  CHECK(coloured.summary.find("\033[") != std::string::npos);
  CHECK(slurp(coloured.written[1]) == slurp(outcome.written[1]));  // the file never is
}

TEST_CASE("a KB pack that does not load after a good collection still leaves the error report") {
  const auto dir = fresh_dir("bad-kb");
  // targets.json and the analysis profile as bundled; the pack of the target is not JSON.
  const fs::path kb = dir / "kb";
  fs::create_directories(kb / "packs");
  fs::copy_file(fs::path(PREMIGRATE_KB_DIR) / "targets.json", kb / "targets.json");
  fs::copy(fs::path(PREMIGRATE_KB_DIR) / "curated", kb / "curated", fs::copy_options::recursive);
  const auto target = premigrate::kb::resolve_target(PREMIGRATE_KB_DIR, "");
  const auto pack = kb / "packs" / premigrate::kb::pack_file_name("centos-8", target.id, "x86_64");
  spit(pack, "{ \"schema_version\": ");
  auto req = request(dir / "o");
  req.kb_dir = kb;
  req.target = target.id;
  REQUIRE_THROWS_AS(scan::run(req), premigrate::core::RunError);
  const auto report = nlohmann::json::parse(slurp(dir / "o" / "premigrate-report.json"));
  CHECK(report["error"]["stage"] == "kb");
  CHECK(report["error"]["message"].get<std::string>().find(pack.filename().string()) !=
        std::string::npos);
  CHECK(report["archs"] == nlohmann::json::array({"x86_64"}));
  CHECK(slurp(dir / "o" / "premigrate-report.txt").find(pack.filename().string()) !=
        std::string::npos);
}

TEST_CASE("a failure before the output directory exists writes nothing") {
  const auto dir = fresh_dir("bad-source");
  auto req = request(dir / "o");
  req.source = "centos-5";
  CHECK_THROWS_WITH(scan::run(req), Catch::Contains("unknown source release 'centos-5'"));
  CHECK_FALSE(fs::exists(dir / "o"));
}

TEST_CASE("an inventory JSON alone gives the report the root gives") {
  const auto dir = fresh_dir("from-inventory");
  auto req = request(dir / "from-root");
  (void)scan::run(req);

  // The inventory as `premigrate inventory` writes it: facts, root reads, diagnostics.
  premigrate::core::Diagnostics diags;
  {
    const premigrate::core::RootFs root(req.root);
    const auto rules = premigrate::analyze::load_rules({PREMIGRATE_RULES_DIR});
    const auto profile = premigrate::analyze::load_profile(fs::path(PREMIGRATE_KB_DIR) / "curated" /
                                                           "analysis-profile.yaml");
    const auto inv = scan::collect_facts(root, req.collect, profile, rules, "", diags);
    REQUIRE_FALSE(inv.root_reads.files.empty());  // the analysis asked for files, collect read them
    std::ofstream out(dir / "inventory.json", std::ios::binary);
    premigrate::facts::write_json(out, inv, scan::inventory_extra(diags, req.tool_version));
  }
  req.inventory_file = dir / "inventory.json";
  req.root = (dir / "no-such-root").string();  // never opened
  req.output_dir = dir / "from-inventory";
  (void)scan::run(req);
  CHECK(slurp(dir / "from-inventory" / "premigrate-report.json") ==
        slurp(dir / "from-root" / "premigrate-report.json"));
  CHECK(slurp(dir / "from-inventory" / "premigrate-report.txt") ==
        slurp(dir / "from-root" / "premigrate-report.txt"));
}

TEST_CASE("an inventory of another schema version is refused, naming the file") {
  const auto dir = fresh_dir("old-inventory");
  spit(dir / "inventory.json", "{\"schema_version\": 1}");
  premigrate::core::Diagnostics diags;
  CHECK_THROWS_WITH(scan::load_inventory(dir / "inventory.json", diags),
                    Catch::Contains("inventory.json: schema_version 1"));
  spit(dir / "inventory.json", "[1, 2]");
  CHECK_THROWS_WITH(scan::load_inventory(dir / "inventory.json", diags),
                    Catch::Contains("not an inventory JSON"));
}

TEST_CASE("an inventory with a status word outside its set is refused, naming file and word") {
  const auto dir = fresh_dir("bad-status-inventory");
  premigrate::facts::Inventory inv;
  inv.collectors.push_back({"rpmdb", premigrate::facts::CollectorState::kOk, ""});
  inv.root_reads.files.push_back(
      {"/etc/ssh/sshd_config", premigrate::facts::ReadStatus::kOk, "", {}});
  nlohmann::json good = inv;
  good["schema_version"] = premigrate::facts::kInventorySchemaVersion;
  premigrate::core::Diagnostics diags;
  spit(dir / "inventory.json", good.dump());
  const auto loaded = scan::load_inventory(dir / "inventory.json", diags);
  CHECK(loaded.inv.collectors.at(0).status == premigrate::facts::CollectorState::kOk);
  CHECK(loaded.inv.root_reads.files.at(0).status == premigrate::facts::ReadStatus::kOk);

  auto bad = good;
  bad["collectors"][0]["status"] = "sort_of";
  spit(dir / "inventory.json", bad.dump());
  CHECK_THROWS_WITH(scan::load_inventory(dir / "inventory.json", diags),
                    Catch::Contains("inventory.json: unknown collector status \"sort_of\"") &&
                        Catch::Contains("(expected ok, partial, failed, skipped)"));
  bad = good;
  bad["root_reads"]["files"][0]["status"] = "perhaps";
  spit(dir / "inventory.json", bad.dump());
  CHECK_THROWS_WITH(scan::load_inventory(dir / "inventory.json", diags),
                    Catch::Contains("unknown root read status \"perhaps\" (expected ok, missing, "
                                    "not_regular, too_large, unreadable)"));
}

TEST_CASE("a scan reads exports only of the libraries a staying object loads, to the same report") {
  const fs::path elf = fs::path(PREMIGRATE_FIXTURE_DIR) / "elf";
  const auto dir = fresh_dir("loaded-exports");
  const fs::path r = dir / "root";
  fs::copy(fs::path(PREMIGRATE_FIXTURE_DIR) / "rpm" / "sqlite-root", r,
           fs::copy_options::recursive);
  // /opt/app/bin/prog loads ../lib/libssl.so.10 (RPATH $ORIGIN/../lib): there, the zlib
  // stand-in under that name, which lacks what prog needs (PM-ELF-004 needs its exports). The
  // real library in /opt/other is loaded by nothing.
  fs::create_directories(r / "opt/app/bin");
  fs::create_directories(r / "opt/app/lib");
  fs::create_directories(r / "opt/other");
  fs::copy_file(elf / "bin/prog", r / "opt/app/bin/prog");
  fs::copy_file(elf / "zlib/libz.so.1", r / "opt/app/lib/libssl.so.10");
  fs::copy_file(elf / "lib/libssl.so.10", r / "opt/other/libssl.so.10");

  auto req = request(dir / "from-root");
  req.root = r.string();
  req.collect.walk_files = true;
  req.collect.elf_symbols = premigrate::collect::ElfSymbols::kUnpackagedImports;
  const premigrate::core::RootFs root(req.root);
  const auto rules = premigrate::analyze::load_rules({PREMIGRATE_RULES_DIR});
  const auto profile = premigrate::analyze::load_profile(fs::path(PREMIGRATE_KB_DIR) / "curated" /
                                                         "analysis-profile.yaml");
  auto object = [](const premigrate::facts::Inventory& inv, const std::string& path) {
    for (const auto& o : inv.elf_objects)
      if (o.path == path) return o;
    FAIL("no ELF object " << path);
    return premigrate::facts::ElfObject{};
  };
  premigrate::core::Diagnostics d_imports, d_full;
  const auto imports =
      scan::collect_facts(root, req.collect, profile, rules, req.source, d_imports);
  auto full_opts = req.collect;
  full_opts.elf_symbols = premigrate::collect::ElfSymbols::kUnpackaged;  // as `inventory` reads
  const auto full = scan::collect_facts(root, full_opts, profile, rules, req.source, d_full);

  const auto loaded = object(imports, "/opt/app/lib/libssl.so.10");
  CHECK_FALSE(loaded.exports_pending);
  CHECK_FALSE(loaded.exported.empty());
  CHECK(nlohmann::json(loaded) == nlohmann::json(object(full, "/opt/app/lib/libssl.so.10")));
  const auto idle = object(imports, "/opt/other/libssl.so.10");
  CHECK(idle.exports_pending);
  CHECK(idle.exported.empty());
  CHECK_FALSE(idle.undefined.empty());  // its imports are read all the same
  const auto idle_full = object(full, "/opt/other/libssl.so.10");
  CHECK_FALSE(idle_full.exports_pending);
  CHECK_FALSE(idle_full.exported.empty());
  CHECK(idle.undefined == idle_full.undefined);
  CHECK(nlohmann::json(object(imports, "/opt/app/bin/prog")) ==
        nlohmann::json(object(full, "/opt/app/bin/prog")));

  // The report of the scan equals the one an inventory with every export gives.
  (void)scan::run(req);
  {
    std::ofstream out(dir / "inventory.json", std::ios::binary);
    premigrate::facts::write_json(out, full, scan::inventory_extra(d_full, req.tool_version));
  }
  const auto report = slurp(dir / "from-root" / "premigrate-report.json");
  CHECK(report.find("/opt/app/bin/prog") != std::string::npos);
  CHECK(report.find("needs SSL_library_init from /opt/app/lib/libssl.so.10") != std::string::npos);
  req.inventory_file = dir / "inventory.json";
  req.root = (dir / "no-such-root").string();
  req.output_dir = dir / "from-inventory";
  (void)scan::run(req);
  CHECK(slurp(dir / "from-inventory" / "premigrate-report.json") == report);
}
