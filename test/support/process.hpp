// Small helpers for tests that run programs: shell quoting, running with captured output,
// reading and writing files.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace premigrate::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
}

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs `cmd` through the shell with stdout and stderr captured into files under `scratch`.
inline Run run_shell(const std::string& cmd, const std::filesystem::path& scratch) {
  const auto out = scratch / "run.out", err = scratch / "run.err";
  const std::string full = cmd + " >" + quote(out.string()) + " 2>" + quote(err.string());
  const int rc = std::system(full.c_str());
  Run r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace premigrate::testing
