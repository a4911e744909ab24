// Services: systemd unit files (the programs their Exec*= lines run, User=, enabled through
// *.wants/ links) and SysV init scripts (the daemon they start, rcN.d S-links).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collect/files/ownership.hpp"
#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/host_files.hpp"

namespace premigrate::collect::config {

struct ServicesResult {
  std::vector<facts::ServiceUnit> units;
  std::vector<std::string> enabled;  // unit names linked from etc/systemd/system/*.wants|requires
                                     // plus SysV scripts with an S link in rc2-5.d; sorted
};

[[nodiscard]] ServicesResult collect_services(const core::RootFs& root,
                                              const files::OwnershipIndex& owners,
                                              core::Diagnostics& diags);

// Parses one unit file's text into `unit` (programs, user); odd lines are diagnostics.
void parse_unit_file(std::string_view text, facts::ServiceUnit& unit, core::Diagnostics& diags);

// The programs a SysV init script starts, where they can be determined from the text.
[[nodiscard]] std::vector<std::string> sysv_programs(std::string_view text);

}  // namespace premigrate::collect::config
