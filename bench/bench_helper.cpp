// Benchmark helper (not installed): times the stages the CLI has no separate entry point for.
//   premigrate_bench kb-load [TARGET [ARCH [SOURCE]]] : kb::load, best and median of 5
//   premigrate_bench render N TEMPLATES_DIR           : report::build + to_json + JSON, text
//                                                      and HTML rendering of N findings
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

int render(int argc, char** argv) {
  if (argc < 4) return 2;
  const int n = std::atoi(argv[2]);
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
    f.evidence = {{f.subject, "DT_NEEDED libssl.so.10"}, {"acme-billing-5.2.0-1.el7.x86_64", "owner"}};
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
  auto t0 = Clock::now();
  const auto report = rep::build(inv, std::move(findings), ctx, diags);
  const auto doc = rep::to_json(report);
  const double model = ms_since(t0);
  t0 = Clock::now();
  const auto json = premigrate::render::to_json_text(doc);
  const double json_ms = ms_since(t0);
  t0 = Clock::now();
  const auto text = premigrate::render::render_text(doc, false);
  const double text_ms = ms_since(t0);
  t0 = Clock::now();
  const auto html = premigrate::render::render_html(doc, argv[3]);
  const double html_ms = ms_since(t0);
  std::printf("render %d findings: model+to_json %.1f ms, json %.1f ms (%zu B), text %.1f ms, html %.1f ms (%zu B)\n",
              n, model, json_ms, json.size(), text_ms, html_ms, html.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && std::string(argv[1]) == "kb-load") return kb_load(argc, argv);
    if (argc >= 2 && std::string(argv[1]) == "render") return render(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "premigrate_bench: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: premigrate_bench kb-load [TARGET [ARCH [SOURCE]]] | render N TEMPLATES_DIR\n");
  return 2;
}
