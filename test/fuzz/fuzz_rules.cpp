// Fuzz target: rule files (analyze::parse_rule) and waiver files (analyze::parse_waivers). Bad
// input must be a RunError naming the file and line, nothing else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyze/rules.hpp"
#include "analyze/waivers.hpp"
#include "core/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace analyze = premigrate::analyze;
  const std::string text(premigrate::fuzz::as_text(data, size));
  try {
    const auto rule = analyze::parse_rule(text, "fuzz.yaml");
    (void)analyze::applies(rule, "x86_64", "centos-7", "openeuler-22.03-lts-sp4");
    (void)analyze::render_template(rule.message, {{"subject", "s"}, {"package", "p"}});
  } catch (const premigrate::core::RunError&) {
  }
  try {
    const auto waivers = analyze::parse_waivers(text, "waivers.yaml");
    for (const auto& w : waivers) (void)analyze::waiver_expired(w, "2026-01-01");
  } catch (const premigrate::core::RunError&) {
  }
  return 0;
}
