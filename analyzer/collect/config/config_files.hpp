// Config file state: every %config file of every package compared with the rpmdb's digest
// (unchanged / modified / missing / unreadable), plus unowned regular files under /etc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "collect/files/ownership.hpp"
#include "collect/files/walker.hpp"
#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/host_files.hpp"
#include "facts/package.hpp"

namespace premigrate::collect::config {

// Hex digest of the regular file open on `fd` with the named rpm digest algorithm ("MD5",
// "SHA1", "SHA224", "SHA256", "SHA384", "SHA512"), read in bounded chunks. nullopt when the
// algorithm is unknown or the file cannot be read.
[[nodiscard]] std::optional<std::string> file_digest(int fd, const std::string& algo);

// `walk_options` supplies excludes and one_file_system for the walk of /etc that finds
// unowned files (its paths are replaced by "/etc").
[[nodiscard]] std::vector<facts::ConfigFile> collect_config_files(
    const core::RootFs& root, const std::vector<facts::Package>& packages,
    const files::OwnershipIndex& owners, const files::WalkOptions& walk_options,
    core::Diagnostics& diags);

}  // namespace premigrate::collect::config
