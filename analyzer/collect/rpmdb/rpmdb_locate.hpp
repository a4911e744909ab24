// Finds the rpmdb inside a root and tells its backend from the files' magic numbers, whatever
// the scanning host's own rpm macros say.
#pragma once

#include <string>
#include <vector>

#include "core/root_fs.hpp"

namespace premigrate::collect::rpmdb {

enum class Backend { kNone, kBdb, kSqlite, kNdb, kUnknown };

[[nodiscard]] std::string to_string(Backend b);

struct Location {
  Backend backend = Backend::kNone;
  std::string dir;                       // root-relative directory searched ("/var/lib/rpm")
  std::string db_file;                   // root-relative main file ("/var/lib/rpm/Packages")
  std::vector<std::string> extra_files;  // root-relative files to copy along (rpmdb.sqlite-wal)
  std::string detail;                    // what was found, for messages
};

// Candidate directories, in order: /var/lib/rpm (CentOS 6/7/8 and most images), then
// /usr/lib/sysimage/rpm (rpm >= 4.16 layout). A directory that is a symlink to the other is
// searched once. Returns kNone with detail listing what was searched when nothing is there.
[[nodiscard]] Location locate(const core::RootFs& root);

// Identifies a database file by content: SQLite header, Berkeley DB hash/btree metadata
// magic (either byte order), or rpm's ndb "RpmP" magic. The file is opened through the root's
// confined reader (its type checked before it is opened: a device there is never opened).
[[nodiscard]] Backend sniff(const core::RootFs& root, const std::string& root_path,
                            std::string& detail);

}  // namespace premigrate::collect::rpmdb
