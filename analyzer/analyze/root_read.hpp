// Confined reads of small text files and directory listings of the scanned root (core::RootFs),
// for the checks that look at configuration lines. Unreadable files become diagnostics.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"

namespace premigrate::analyze {

inline constexpr std::size_t kMaxConfigBytes = 4 << 20;

// The file's lines, or nullopt when it does not exist; unreadable or oversized files give a
// diagnostic (code analyze.read) and nullopt.
[[nodiscard]] std::optional<std::vector<std::string>> read_lines(const core::RootFs& root,
                                                                 const std::string& path,
                                                                 core::Diagnostics& diags);
// Root-relative paths matching a glob whose wildcards are in the last component only
// ("/etc/sysconfig/network-scripts/ifcfg-*"), sorted.
// The keyword of an sshd_config / ssh_config line (sshd_config(5): a keyword, then whitespace
// or '=', then arguments); empty for blank and comment lines.
[[nodiscard]] std::string_view openssh_keyword(std::string_view line);
[[nodiscard]] std::vector<std::string> glob_files(const core::RootFs& root,
                                                  const std::string& pattern);

}  // namespace premigrate::analyze
