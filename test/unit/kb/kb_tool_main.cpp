// Test-only driver: runs `premigrate kb ...` through cli::run_kb until the CLI main wires it.
#include <iostream>

#include "cli/commands.hpp"
#include "core/errors.hpp"

int main(int argc, char** argv) {
  try {
    return premigrate::cli::run_kb(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const premigrate::core::RunError& e) {
    std::cerr << "premigrate: " << e.what() << "\n";
    return static_cast<int>(e.code());
  }
}
