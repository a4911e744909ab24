// Scripts: files with a "#!" line that are executable or sit where programs live (bin, sbin,
// libexec, init.d, cron directories). The shebang says which interpreter must exist on the
// target, including the program behind "#!/usr/bin/env".
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facts/host_files.hpp"

namespace premigrate::collect::config {

struct Shebang {
  std::string interpreter;        // as written ("/usr/bin/env")
  std::string program;            // what runs ("python" for "#!/usr/bin/env python")
  std::vector<std::string> args;  // words after the program
};

// Parses the first line of `header` (which must start with "#!"); nullopt when it names no
// interpreter. Linux passes everything after the interpreter as one argument; here it is
// split on whitespace, and env's -S/--split-string, -u NAME, -C DIR and NAME=value are
// understood so that `program` is the command env would run.
[[nodiscard]] std::optional<Shebang> parse_shebang(std::string_view header);

// True when a file with a shebang at `root_path` with `mode` counts as a script.
[[nodiscard]] bool is_script_candidate(std::string_view root_path, mode_t mode);

}  // namespace premigrate::collect::config
