// Helpers of the end-to-end CLI tests: run the premigrate binary in a child with a hard time
// limit (a scan that blocks on a FIFO fails the test instead of hanging the suite).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace premigrate::test_cli {

using premigrate::testing::slurp;

inline void write(const std::filesystem::path& p, const std::string& text) {
  premigrate::testing::spit(p, text);
}

// Runs `premigrate args...` with stdout and stderr sent to `log` (or /dev/null when empty),
// killed by SIGALRM after limit_seconds. Returns the exit status, or 128 + the signal.
inline int run_premigrate(const std::vector<std::string>& args, int limit_seconds,
                          const std::filesystem::path& log = {}) {
  std::fflush(stdout);  // else the child flushes our buffered output a second time
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string sink = log.empty() ? std::string("/dev/null") : log.string();
    if (!std::freopen(sink.c_str(), "w", stdout)) ::_exit(126);
    ::dup2(::fileno(stdout), STDERR_FILENO);
    ::alarm(static_cast<unsigned>(limit_seconds));
    ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    std::vector<char*> argv{const_cast<char*>(PREMIGRATE_BIN)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(PREMIGRATE_BIN, argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace premigrate::test_cli
