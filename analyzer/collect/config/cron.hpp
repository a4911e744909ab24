// Cron jobs: the system tables (/etc/crontab, /etc/cron.d/*) with their user field, the
// per-user spool tables (/var/spool/cron/<user>), and the run-parts directories
// (/etc/cron.{hourly,daily,weekly,monthly}).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collect/files/ownership.hpp"
#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/host_files.hpp"

namespace premigrate::collect::config {

// Parses one crontab(5) table. `system_table` tables carry a user field after the schedule;
// `table_user` is the user of a spool table. Environment lines are skipped; odd lines give a
// "cron.syntax" warning with the line number.
[[nodiscard]] std::vector<facts::CronJob> parse_crontab(std::string_view text,
                                                        const std::string& path, bool system_table,
                                                        const std::string& table_user,
                                                        core::Diagnostics& diags);

[[nodiscard]] std::vector<facts::CronJob> collect_cron(const core::RootFs& root,
                                                       const files::OwnershipIndex& owners,
                                                       core::Diagnostics& diags);

}  // namespace premigrate::collect::config
