// yum/dnf repository definitions: /etc/yum.repos.d/*.repo in dnf.conf(5)'s ini dialect.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/host_info.hpp"

namespace premigrate::collect::config {

// Parses one .repo file. Indented lines continue the previous key (multi-line baseurl);
// baseurl values split on whitespace and commas. Odd lines give "repo.syntax" warnings.
[[nodiscard]] std::vector<facts::RepoDef> parse_repo_file(std::string_view text,
                                                          const std::string& path,
                                                          core::Diagnostics& diags);

[[nodiscard]] std::vector<facts::RepoDef> collect_repos(const core::RootFs& root,
                                                        core::Diagnostics& diags);

}  // namespace premigrate::collect::config
