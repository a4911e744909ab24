// Finds the rpmdb inside a root and tells its backend from the files' magic numbers, whatever
// the scanning host's own rpm macros say.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/root_fs.hpp"

namespace premigrate::collect::rpmdb {

enum class Backend { kNone, kBdb, kSqlite, kNdb, kUnknown };

[[nodiscard]] std::string to_string(Backend b);

struct Location {
  Backend backend = Backend::kNone;
  std::string dir;                         // root-relative directory searched ("/var/lib/rpm")
  std::string db_file;                     // root-relative main file ("/var/lib/rpm/Packages")
  std::filesystem::path host_db_file;      // confined host path of db_file
  std::vector<std::filesystem::path> extra_host_files;  // e.g. rpmdb.sqlite-wal to copy along
  std::string detail;                      // what was found, for messages
};

// Candidate directories, in order: /var/lib/rpm (CentOS 6/7/8 and most images), then
// /usr/lib/sysimage/rpm (rpm >= 4.16 layout). A directory that is a symlink to the other is
// searched once. Returns kNone with detail listing what was searched when nothing is there.
[[nodiscard]] Location locate(const core::RootFs& root);

// Identifies a database file by content: SQLite header, Berkeley DB hash/btree metadata
// magic (either byte order), or rpm's ndb "RpmP" magic.
[[nodiscard]] Backend sniff(const std::filesystem::path& host_file, std::string& detail);

}  // namespace premigrate::collect::rpmdb
