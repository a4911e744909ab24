// premigrate_bench exports INVENTORY.json [TARGET]: the cost of the symbol-level ELF checks
// (analyze/elf_exports.cpp). The analysis of the inventory (x86_64) is timed with the pack as
// shipped and with the same pack without its export tables (the checks then do not run);
// median CPU time of 5 each, since the analysis is single-threaded.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "analyze/analyze.hpp"
#include "analyze/data_files.hpp"
#include "core/data_paths.hpp"
#include "facts/inventory.hpp"
#include "kb/kb.hpp"
#include "kb/pack_format.hpp"

namespace {

double cpu_now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

int bench_exports(int argc, char** argv) {
  namespace an = premigrate::analyze;
  namespace kb = premigrate::kb;
  if (argc < 3) return 2;
  const std::string target = argc > 3 ? argv[3] : "";
  premigrate::facts::Inventory inv;
  from_json(kb::read_json_file(argv[2]), inv);
  const auto kb_dir = kb::kb_dir_or_default("");
  const auto with = kb::load(kb_dir, target, "x86_64", "centos-7");
  auto pack = kb::read_json_file(with.file());
  pack.erase("export_libraries");
  pack.erase("export_symbols");
  const auto without = kb::KnowledgeBase::from_text(pack.dump(), with.file() + " (no exports)");
  const auto rules = an::load_rules({premigrate::core::find_data_dir("rules")});
  const auto profile = an::load_profile(kb_dir / "curated" / "analysis-profile.yaml");
  auto time = [&](const kb::KnowledgeBase& k, std::size_t& findings) {
    std::vector<double> ms;
    for (int i = 0; i < 5; ++i) {
      an::Input in{inv, rules, profile, "centos-7", with.target().id, {}, {}, "2026-01-01"};
      in.archs.push_back({"x86_64", &k, ""});
      premigrate::core::Diagnostics diags;
      const double t0 = cpu_now_ms();
      const auto r = an::run(in, diags);
      ms.push_back(cpu_now_ms() - t0);
      findings = r.findings.size();
    }
    std::sort(ms.begin(), ms.end());
    return ms[2];
  };
  std::size_t f_with = 0, f_without = 0;
  const double a = time(with, f_with), b = time(without, f_without);
  std::printf(
      "analysis_cpu_ms with exports %.1f, without %.1f: symbol checks %.1f ms "
      "(%s, x86_64, %zu ELF objects, %zu / %zu findings, %zu export symbols)\n",
      a, b, a - b, with.target().id.c_str(), inv.elf_objects.size(), f_with, f_without,
      with.exports().symbol_count());
  return 0;
}
