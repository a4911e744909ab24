// rpmdb discovery and backend sniffing. Magic numbers: SQLite file format spec section 1.3
// ("SQLite format 3\0"); Berkeley DB meta page: magic at offset 12 (hash 0x061561, btree
// 0x053162); rpm ndb: "RpmP" at offset 0 of Packages.db (lib/backend/ndb/rpmpkg.c).
#include "collect/rpmdb/rpmdb_locate.hpp"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <set>

namespace premigrate::collect::rpmdb {

std::string to_string(Backend b) {
  switch (b) {
    case Backend::kNone:
      return "";
    case Backend::kBdb:
      return "bdb";
    case Backend::kSqlite:
      return "sqlite";
    case Backend::kNdb:
      return "ndb";
    case Backend::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Backend sniff(const core::RootFs& root, const std::string& root_path, std::string& detail) {
  const core::Opened f = root.open_regular(root_path);
  if (!f.fd.valid()) {
    detail = f.error == EINVAL || f.error == EISDIR
                 ? "not a regular file; not opened"
                 : std::string("cannot open: ") + std::strerror(f.error);
    return Backend::kUnknown;
  }
  const int fd = f.fd.get();
  std::array<unsigned char, 32> buf{};
  const ssize_t n = ::pread(fd, buf.data(), buf.size(), 0);
  if (n < 16) {
    detail = "file too short to be a database (" + std::to_string(n < 0 ? 0 : n) + " bytes)";
    return Backend::kUnknown;
  }
  if (std::memcmp(buf.data(), "SQLite format 3", 16) == 0) return Backend::kSqlite;
  if (std::memcmp(buf.data(), "RpmP", 4) == 0) return Backend::kNdb;
  std::uint32_t le =
      static_cast<std::uint32_t>(buf[12]) | (static_cast<std::uint32_t>(buf[13]) << 8) |
      (static_cast<std::uint32_t>(buf[14]) << 16) | (static_cast<std::uint32_t>(buf[15]) << 24);
  std::uint32_t be = __builtin_bswap32(le);
  for (std::uint32_t m : {le, be}) {
    if (m == 0x061561U || m == 0x053162U) return Backend::kBdb;
  }
  detail = "no known database magic";
  return Backend::kUnknown;
}

Location locate(const core::RootFs& root) {
  Location loc;
  std::set<std::string> seen;
  std::string searched;
  for (const char* dir : {"/var/lib/rpm", "/usr/lib/sysimage/rpm"}) {
    searched += (searched.empty() ? "" : ", ") + std::string(dir);
    auto d = root.resolve(dir);
    if (!d.ok() || !seen.insert(d.root_path).second) continue;
    struct Candidate {
      const char* name;
      Backend expect;
    };
    // sqlite first: an image converted by `rpmdb --rebuilddb` may keep a stale Packages.
    for (Candidate c :
         {Candidate{"rpmdb.sqlite", Backend::kSqlite}, Candidate{"Packages", Backend::kBdb},
          Candidate{"Packages.db", Backend::kNdb}}) {
      auto f = root.resolve(d.root_path + "/" + c.name);
      if (!f.ok()) continue;
      // Diagnostics name the path that was looked for; the link's target is only detail.
      const std::string asked = std::string(dir) + "/" + c.name;
      loc.dir = dir;
      loc.db_file = asked;
      std::string detail;
      loc.backend = sniff(root, f.root_path, detail);
      loc.detail = asked + (f.root_path != asked ? " -> " + f.root_path : "") +
                   (detail.empty() ? "" : " (" + detail + ")");
      if (loc.backend == Backend::kSqlite) {
        auto wal = root.resolve(f.root_path + "-wal");
        if (wal.ok()) loc.extra_files.push_back(wal.root_path);
      }
      return loc;
    }
  }
  loc.detail = "no rpmdb (rpmdb.sqlite, Packages or Packages.db) in " + searched;
  return loc;
}

}  // namespace premigrate::collect::rpmdb
