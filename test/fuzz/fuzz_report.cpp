// Fuzz target: saved report JSON as `diff` and `fleet` read it (compare::parse_report), then
// the diff of the report with itself and its fleet aggregate, rendered as text.
#include <cstddef>
#include <cstdint>

#include "compare/diff.hpp"
#include "compare/fleet.hpp"
#include "compare/json_read.hpp"
#include "core/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace compare = premigrate::compare;
  nlohmann::json report;
  try {
    report = compare::parse_report(premigrate::fuzz::as_text(data, size), "fuzz.json");
  } catch (const premigrate::core::RunError&) {
    return 0;
  }
  const auto diff = compare::diff_reports(report, report);
  (void)compare::diff_text(diff);
  compare::FleetAggregator fleet;
  fleet.add(report, "host-a.json");
  fleet.add(report, "host-b.json");
  (void)compare::fleet_text(fleet.result());
  return 0;
}
