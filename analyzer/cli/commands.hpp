// Sub-command entry points. Each parses its own options with Boost.Program_options and
// returns an exit status (core::ExitCode); run-level errors propagate as core::RunError.
#pragma once

#include <string>
#include <vector>

namespace premigrate::cli {

// The process's last work: the facts, KB packs and report of the scan are left to the
// process's end (scan::ScanRequest::exit_after, core::keep_until_exit), never freed; a caller
// that goes on after it must call scan::run instead.
int run_scan(const std::vector<std::string>& args);
int run_inventory(const std::vector<std::string>& args);
int run_kb(const std::vector<std::string>& args);
int run_kb_sync(const std::vector<std::string>& args);  // kb_sync_command.cpp
int run_diff(const std::vector<std::string>& args);
int run_fleet(const std::vector<std::string>& args);

}  // namespace premigrate::cli
