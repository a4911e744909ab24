// Tells a valid but empty Berkeley DB `Packages` (a freshly initialised root) from a damaged
// one: librpm's bdb_ro reports "error reading Packages database" for both.
#pragma once

#include <filesystem>

namespace premigrate::collect::rpmdb {

// True when the file is a Berkeley DB hash database that holds no record: a hash meta page
// with nelem 0, and every later page an unused or hash page with no entries. False for
// anything else, including a file that cannot be read (the caller's verdict stands then).
[[nodiscard]] bool bdb_hash_is_empty(const std::filesystem::path& file);

}  // namespace premigrate::collect::rpmdb
