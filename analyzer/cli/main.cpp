// premigrate's entry point: dispatches sub-commands; the only place run-level errors are
// caught and turned into one line and a documented exit status.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/data_paths.hpp"
#include "core/errors.hpp"
#include "core/temp_dir.hpp"

namespace {

const char* const kUsage = R"(Usage: premigrate <command> [options]

Commands:
  scan        scan a root and write readiness reports (JSON, HTML, text, JUnit, SARIF)
  inventory   print the collected facts of a root as JSON
  kb          build, inspect and validate knowledge-base packs (kb build|info|validate)
  diff        compare two reports of one host: fixed, new, changed severity
  fleet       aggregate many hosts' reports into one fleet readiness report
Run `premigrate <command> --help` for a command's options.

Options:
  -h, --help     show this help
  --version      print the version

Exit status:
  0  completed; no findings (with --fail-on: none at or above the threshold)
  1  tool error (root missing, knowledge base unreadable, output not writable)
  2  usage error
  3  completed; findings present (no --fail-on given)
  4  completed; findings at or above the --fail-on threshold
  5  inventory: the JSON is written, but a collector failed (named on stderr)
  6  scan --fail-on: nothing at or above it, but a verdict is incomplete
  7  --image: a disk image this machine cannot read (no libguestfs appliance, or a build
     without disk-image support); the message says what to install
)";

// The portable tarball (scripts/package) carries librpm's own rpmrc and macros in
// share/premigrate/rpm: librpm reads them (RPM_CONFIGDIR) instead of the scanning host's
// /usr/lib/rpm, which may be missing or from a much older rpm. Other layouts have no such
// folder and keep the host's. Set before any thread exists (setenv is not thread-safe).
void use_bundled_rpm_config() {
  if (const char* env = std::getenv("RPM_CONFIGDIR"); env && *env) return;
  if (auto dir = premigrate::core::find_optional_data_dir("rpm")) {
    ::setenv("RPM_CONFIGDIR", dir->c_str(), 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using premigrate::core::ExitCode;
  try {
    use_bundled_rpm_config();
    premigrate::core::install_cleanup_handlers();
    if (argc < 2) {
      std::cerr << kUsage;
      return static_cast<int>(ExitCode::kUsage);
    }
    const std::string cmd = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
      std::cout << kUsage;
      return 0;
    }
    if (cmd == "--version" || cmd == "version") {
      std::cout << "premigrate " << premigrate::cli::tool_version() << "\n";
      return 0;
    }
    if (cmd == "scan") return premigrate::cli::run_scan(args);
    if (cmd == "inventory") return premigrate::cli::run_inventory(args);
    if (cmd == "kb") return premigrate::cli::run_kb(args);
    if (cmd == "diff") return premigrate::cli::run_diff(args);
    if (cmd == "fleet") return premigrate::cli::run_fleet(args);
    throw premigrate::core::UsageError("unknown command '" + cmd + "' (try --help)");
  } catch (const premigrate::core::RunError& e) {
    const bool usage = e.code() == ExitCode::kUsage;
    std::cerr << "premigrate: " << (usage ? "usage error: " : "error: ") << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "premigrate: error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kToolError);
  }
}
