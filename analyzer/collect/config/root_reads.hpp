// Answers the analysis's root requests (files to read by name, globs, paths) through the
// confined reader, and reads /etc/ld.so.conf with its includes: the facts that analysis once
// read from the root itself.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/root_reads.hpp"

namespace premigrate::collect::config {

// Files read by name are at most this large; a larger one is "too_large" (never read).
inline constexpr std::size_t kMaxTextBytes = 4 << 20;

// Every request answered; a file that is not a regular file, too large or unreadable gets a
// diagnostic (code config.unreadable) naming the path asked for, and its status says why.
[[nodiscard]] facts::RootReads answer_root_requests(const core::RootFs& root,
                                                    const facts::RootRequests& req,
                                                    core::Diagnostics& diags);

// The directories /etc/ld.so.conf adds, in order ("include" lines with a glob in the last
// component are followed, at most 64 files).
[[nodiscard]] std::vector<std::string> collect_ld_so_conf(const core::RootFs& root,
                                                          core::Diagnostics& diags);

}  // namespace premigrate::collect::config
