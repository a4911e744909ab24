// Splits an rpm soname capability ("libc.so.6(GLIBC_2.17)(64bit)") or an ld.so.cache soname
// row into soname, version node and word size, the way rpm's elfdeps writes them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace premigrate::kb {

struct SonameCapability {
  std::string soname;
  std::string version_node;
  bool bits64 = false;
};

// kind: "rpm" (an rpm Provides string), "ldcache-64" or "ldcache-32" (a bare soname from
// ld.so.cache, word size taken from the cache flags). Returns nullopt for non-soname provides.
[[nodiscard]] std::optional<SonameCapability> parse_soname_capability(std::string_view capability,
                                                                      std::string_view kind);

}  // namespace premigrate::kb
