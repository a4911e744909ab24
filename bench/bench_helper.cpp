// Benchmark helper (not installed): times the stages the CLI has no separate entry point for.
//   premigrate_bench kb-load [TARGET [ARCH [SOURCE]]] : kb::load, best and median of 5
//   premigrate_bench render N TEMPLATES_DIR           : report::build + to_json + JSON, text
//                                                      and HTML rendering of N findings (HTML:
//                                                      median wall and CPU time of 3)
//   premigrate_bench page N TEMPLATES_DIR OUT.html    : the HTML report of N findings with a
//                                                      probe that records when it is usable
//                                                      in a browser (bench/run: Chromium)
//   premigrate_bench exports INVENTORY.json [TARGET]  : analysis CPU time with and without
//                                                      the pack's export lists (bench_exports.cpp)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "facts/inventory.hpp"
#include "kb/kb.hpp"
#include "render/render.hpp"
#include "report/report.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// CPU time of this (single-threaded) process: steadier than wall time on a shared machine.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

int kb_load(int argc, char** argv) {
  const std::string target = argc > 2 ? argv[2] : "";
  const std::string arch = argc > 3 ? argv[3] : "x86_64";
  const std::string source = argc > 4 ? argv[4] : "centos-7";
  const auto dir = premigrate::kb::kb_dir_or_default("");
  std::vector<double> times;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = Clock::now();
    const auto kb = premigrate::kb::load(dir, target, arch, source);
    times.push_back(ms_since(t0));
  }
  std::sort(times.begin(), times.end());
  std::printf("kb_load_ms best %.1f median %.1f (%s -> %s, %s)\n", times.front(), times[2],
              source.c_str(), target.empty() ? "default target" : target.c_str(), arch.c_str());
  return 0;
}

// N synthetic findings (5 severities, 5 categories, 40 rules, 2 architectures, evidence,
// remediation and a reference each) in a report model.
premigrate::report::Report bench_report(int n) {
  namespace rep = premigrate::report;
  std::vector<rep::Finding> findings;
  const char* categories[] = {"packages", "elf-linkage", "kernel-modules", "config", "scripts"};
  for (int i = 0; i < n; ++i) {
    rep::Finding f;
    f.id = "bench-" + std::to_string(i);
    f.rule_id = "BENCH-" + std::to_string(i % 40);
    f.category = categories[i % 5];
    f.severity = static_cast<rep::Severity>(i % 5);
    f.archs = {"x86_64", "aarch64"};
    f.subject = "/opt/vendor/lib/libthing" + std::to_string(i) + ".so.1";
    f.message = "needs libssl.so.10 (OPENSSL_1.0.2), which the target does not provide";
    f.evidence = {{f.subject, "DT_NEEDED libssl.so.10"},
                  {"acme-billing-5.2.0-1.el7.x86_64", "owner"}};
    f.remediation = "rebuild against the target's OpenSSL or install a compat package";
    f.references = {"https://example.invalid/rule/" + f.rule_id};
    findings.push_back(std::move(f));
  }
  premigrate::facts::Inventory inv;
  premigrate::core::Diagnostics diags;
  rep::BuildContext ctx;
  ctx.tool_version = "bench";
  ctx.generated_at = "2026-01-01T00:00:00Z";
  ctx.archs = {"x86_64", "aarch64"};
  return rep::build(inv, std::move(findings), ctx, diags);
}

int render(int argc, char** argv) {
  if (argc < 4) return 2;
  const int n = std::atoi(argv[2]);
  namespace rep = premigrate::report;
  auto t0 = Clock::now();
  const auto report = bench_report(n);
  const auto doc = rep::to_json(report);
  const double model = ms_since(t0);
  t0 = Clock::now();
  const auto json = premigrate::render::to_json_text(doc);
  const double json_ms = ms_since(t0);
  t0 = Clock::now();
  const auto text = premigrate::render::render_text(doc, false);
  const double text_ms = ms_since(t0);
  // HTML, the slow one, three times: median wall and CPU time.
  std::vector<double> html_wall, html_cpu;
  std::size_t html_size = 0;
  for (int i = 0; i < 3; ++i) {
    t0 = Clock::now();
    const double c0 = cpu_ms();
    const auto html = premigrate::render::render_html(doc, argv[3]);
    html_cpu.push_back(cpu_ms() - c0);
    html_wall.push_back(ms_since(t0));
    html_size = html.size();
  }
  std::sort(html_wall.begin(), html_wall.end());
  std::sort(html_cpu.begin(), html_cpu.end());
  std::printf(
      "render %d findings: model+to_json %.1f ms, json %.1f ms (%zu B), text %.1f ms, "
      "html %.1f ms wall, %.1f ms CPU (median of 3; %zu B)\n",
      n, model, json_ms, json.size(), text_ms, html_wall[1], html_cpu[1], html_size);
  return 0;
}

// Marks when the page is usable and writes it into the DOM for `chromium --dump-dom`: this
// script runs after the report's own one (it is inserted just before </body>), forces style
// and layout of the whole page, then reads the time since navigation start; then it times one
// pass of the severity filter, as a user's first click.
const char* const kUsableProbe = R"JS(<script>
(function () {
  document.body.offsetHeight;
  var res = {ready: document.documentElement.dataset.ready === "1", usable_ms: performance.now(),
             rows: document.querySelectorAll("tr.f").length};
  var s = document.querySelector("input[name=sev]"), t0 = performance.now();
  s.checked = false; s.dispatchEvent(new Event("change")); document.body.offsetHeight;
  res.filter_ms = performance.now() - t0;
  s.checked = true; s.dispatchEvent(new Event("change"));
  var pre = document.createElement("pre"); pre.id = "pm-probe"; pre.textContent = JSON.stringify(res);
  document.body.appendChild(pre);
})();
</script>)JS";

int page(int argc, char** argv) {
  if (argc < 5) return 2;
  const auto doc = premigrate::report::to_json(bench_report(std::atoi(argv[2])));
  std::string html = premigrate::render::render_html(doc, argv[3]);
  const auto end = html.rfind("</body>");
  if (end == std::string::npos) return 1;
  html.insert(end, kUsableProbe);
  std::ofstream out(argv[4], std::ios::binary);
  out << html;
  return out.flush() ? 0 : 1;
}

}  // namespace

int bench_exports(int argc, char** argv);

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && std::string(argv[1]) == "kb-load") return kb_load(argc, argv);
    if (argc >= 2 && std::string(argv[1]) == "render") return render(argc, argv);
    if (argc >= 2 && std::string(argv[1]) == "page") return page(argc, argv);
    if (argc >= 3 && std::string(argv[1]) == "exports") return bench_exports(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "premigrate_bench: %s\n", e.what());
    return 1;
  }
  std::fprintf(
      stderr,
      "usage: premigrate_bench kb-load [TARGET [ARCH [SOURCE]]] | render N TEMPLATES_DIR | "
      "page N TEMPLATES_DIR OUT.html | exports INVENTORY.json [TARGET]\n");
  return 2;
}
