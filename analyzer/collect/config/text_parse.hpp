// Line-oriented parsing shared by the config collectors: shell-style KEY=value files
// (os-release, /etc/default/grub, /etc/selinux/config) and word splitting of command lines.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace premigrate::collect::config {

// Splits on '\n' (a trailing '\r' is dropped); the i-th element is line i+1.
[[nodiscard]] std::vector<std::string_view> split_lines(std::string_view text);

[[nodiscard]] std::string_view trim(std::string_view s);

// Parses KEY=value assignments with shell quoting (os-release(5): "double" quotes with \"
// \\ \$ \` escapes, 'single' quotes literal, unquoted values with backslash escapes). Blank
// lines and # comments are skipped; an "export " prefix is accepted. Any other line, and an
// unterminated quote, gives a warning `code` naming `path` and "line N"; parsing goes on.
[[nodiscard]] std::map<std::string, std::string> parse_shell_assignments(std::string_view text,
                                                                         const std::string& path,
                                                                         core::Diagnostics& diags,
                                                                         const std::string& code);

// Splits a command line into words honouring single/double quotes and backslashes (no
// expansion). Returns false in `ok` when a quote is left open (the words so far are kept).
[[nodiscard]] std::vector<std::string> split_words(std::string_view line, bool* ok = nullptr);

// True for a shell variable name: [A-Za-z_][A-Za-z0-9_]*.
[[nodiscard]] bool is_var_name(std::string_view s);

// The program a command runs: the first word after leading NAME=value assignments.
[[nodiscard]] std::string command_program(std::string_view command);

}  // namespace premigrate::collect::config
