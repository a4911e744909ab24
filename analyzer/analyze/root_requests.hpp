// What the analysis needs from the root, asked for before it runs: the lines of the files rule
// probes and the OpenSSH check read, modules-load.d lists, and whether program paths exist.
// The collect stage answers (collect/config/root_reads.hpp) into Inventory::root_reads; the
// analysis itself never reads the root.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/profile.hpp"
#include "analyze/rules.hpp"
#include "facts/inventory.hpp"
#include "facts/root_reads.hpp"

namespace premigrate::analyze {

[[nodiscard]] facts::RootRequests root_requests(const facts::Inventory& inv, const Profile& profile,
                                                const RuleSet& rules);

// The programs that scripts, services and cron jobs start, each with its candidate absolute
// paths (a bare name looked up on the profile's search path; /usr-merge variants).
[[nodiscard]] std::map<std::string, std::vector<std::string>> program_candidates(
    const facts::Inventory& inv, const Profile& profile);

// The keyword of an sshd_config / ssh_config line (sshd_config(5): a keyword, then whitespace
// or '=', then arguments); empty for blank and comment lines.
[[nodiscard]] std::string_view openssh_keyword(std::string_view line);

}  // namespace premigrate::analyze
