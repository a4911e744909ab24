// The rpmdb collector: finds the rpmdb inside the scanned root, opens a private copy
// read-only with librpm's matching backend (bdb_ro or sqlite) and iterates every header.
#pragma once

#include <cstdint>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/package.hpp"

namespace premigrate::collect::rpmdb {

struct RpmDbResult {
  facts::RpmDbInfo info;
  std::vector<facts::Package> packages;
};

// Never throws for bad input: a missing, unsupported or corrupt rpmdb is described in
// info.status/message and in diagnostics; packages read before a corruption are kept.
// The database files are copied (through the root's confined reader) into a private scratch
// directory, each at most max_bytes (--max-file-size).
[[nodiscard]] RpmDbResult read_rpmdb(const core::RootFs& root, core::Diagnostics& diags,
                                     std::uint64_t max_bytes = 1ULL << 30);

}  // namespace premigrate::collect::rpmdb
