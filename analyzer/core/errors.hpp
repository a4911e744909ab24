// Run-level errors (tier 3 of the architecture guide) and the documented exit statuses.
// Thrown by any stage, caught only in main, printed as one line.
#pragma once

#include <stdexcept>
#include <string>

namespace premigrate::core {

// Exit statuses; README.md and `premigrate --help` document the same table.
enum class ExitCode : int {
  kClean = 0,            // completed; no finding (or none at/above --fail-on when it is given)
  kToolError = 1,        // run-level failure: root missing, KB unreadable, output not writable
  kUsage = 2,            // bad command line
  kFindings = 3,         // completed; findings present (no --fail-on given)
  kGateFailed = 4,       // completed; findings at or above the --fail-on threshold
  kCollectorFailed = 5,  // inventory: written, but a collector failed (named on stderr)
  kGateIncomplete = 6,   // completed; --fail-on given, nothing at or above it, but a verdict is
                         // incomplete (a check could not run) and --allow-incomplete was not
  kNoDiskReader = 7,     // --image on a disk image this machine cannot read: no libguestfs
                         // appliance (kernel, supermin, qemu) or a build without libguestfs
};

class RunError : public std::runtime_error {
 public:
  explicit RunError(const std::string& what, ExitCode code = ExitCode::kToolError)
      : std::runtime_error(what), code_(code) {}
  [[nodiscard]] ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

class UsageError : public RunError {
 public:
  explicit UsageError(const std::string& what) : RunError(what, ExitCode::kUsage) {}
};

}  // namespace premigrate::core
