// The inventory's verdict on its own collectors: which failed, said on stderr, and the exit
// status that tells a pipeline the facts are incomplete.
#pragma once

#include <ostream>

#include "core/errors.hpp"
#include "facts/inventory.hpp"

namespace premigrate::cli {

// One line per collector whose status is "failed" ("premigrate: collector rpmdb failed: ..."),
// then kCollectorFailed; kClean (and nothing printed) when every collector ran. "partial" and
// "skipped" (no rpmdb on a non-rpm root) are not failures: the JSON's `collectors` says them.
[[nodiscard]] core::ExitCode report_failed_collectors(const facts::Inventory& inv,
                                                      std::ostream& err);

}  // namespace premigrate::cli
