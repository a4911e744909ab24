// premigrate's entry point: dispatches sub-commands; the only place run-level errors are
// caught and turned into one line and a documented exit status.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/errors.hpp"

namespace {

const char* kUsage = R"(Usage: premigrate <command> [options]

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
)";

}  // namespace

int main(int argc, char** argv) {
  using premigrate::core::ExitCode;
  try {
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
