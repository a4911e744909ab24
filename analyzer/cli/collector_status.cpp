// Turns the inventory's collector statuses into stderr lines and an exit status.
#include "cli/collector_status.hpp"

#include "core/text.hpp"

namespace premigrate::cli {

core::ExitCode report_failed_collectors(const facts::Inventory& inv, std::ostream& err) {
  auto code = core::ExitCode::kClean;
  for (const auto& c : inv.collectors) {
    if (c.status != facts::CollectorState::kFailed) continue;
    // The reason can carry paths from the scanned root: untrusted, so made terminal-safe.
    err << "premigrate: collector " << c.name << " failed: " << core::terminal_safe(c.reason)
        << "\n";
    code = core::ExitCode::kCollectorFailed;
  }
  return code;
}

}  // namespace premigrate::cli
