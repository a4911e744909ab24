// Sub-command entry points. Each parses its own options with Boost.Program_options and
// returns an exit status (core::ExitCode); run-level errors propagate as core::RunError.
#pragma once

#include <string>
#include <vector>

namespace premigrate::cli {

int run_scan(const std::vector<std::string>& args);
int run_inventory(const std::vector<std::string>& args);
int run_kb(const std::vector<std::string>& args);
int run_kb_sync(const std::vector<std::string>& args);  // kb_sync_command.cpp
int run_diff(const std::vector<std::string>& args);
int run_fleet(const std::vector<std::string>& args);

}  // namespace premigrate::cli
