// The rpmdb collector: finds the rpmdb inside the scanned root, opens a private copy
// read-only with librpm's matching backend (bdb_ro or sqlite) and iterates every header.
#pragma once

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
[[nodiscard]] RpmDbResult read_rpmdb(const core::RootFs& root, core::Diagnostics& diags);

}  // namespace premigrate::collect::rpmdb
