// Berkeley DB on-disk layout (db-5.3 src/dbinc/db_page.h): the meta page starts with DBMETA
// (magic at offset 12, pagesize at 20) and HMETA's nelem at 88; every other page starts with
// the 26-byte PAGE header (entries at 20, type at 25). Pages are in the creator's byte order.
#include "collect/rpmdb/bdb_empty.hpp"

#include <cstdint>
#include <fstream>
#include <vector>

namespace premigrate::collect::rpmdb {

namespace {

constexpr std::uint32_t kHashMagic = 0x061561;
constexpr unsigned char kPageInvalid = 0;  // P_INVALID: allocated, never written
constexpr unsigned char kPageHash = 13;    // P_HASH: a hash bucket page
// An empty rpmdb is a few pages; a big file is not empty, and is not read whole to learn so.
constexpr std::uintmax_t kMaxEmptyFile = 1u << 20;

std::uint32_t u32(const unsigned char* p, bool swap) {
  const std::uint32_t le =
      static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
      static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
  return swap ? __builtin_bswap32(le) : le;
}

std::uint16_t u16(const unsigned char* p, bool swap) {
  const auto le = static_cast<std::uint16_t>(p[0] | p[1] << 8);
  return swap ? static_cast<std::uint16_t>(le << 8 | le >> 8) : le;
}

}  // namespace

bool bdb_hash_is_empty(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size < 512 || size > kMaxEmptyFile) return false;
  std::ifstream in(file, std::ios::binary);
  std::vector<unsigned char> d(static_cast<std::size_t>(size));
  if (!in.read(reinterpret_cast<char*>(d.data()), static_cast<std::streamsize>(d.size()))) {
    return false;
  }
  bool swap = false;
  if (u32(&d[12], false) != kHashMagic) {
    if (u32(&d[12], true) != kHashMagic) return false;
    swap = true;
  }
  const std::uint32_t pagesize = u32(&d[20], swap);
  if (pagesize < 512 || pagesize > 65536 || (pagesize & (pagesize - 1)) != 0 ||
      size % pagesize != 0 || u32(&d[88], swap) != 0) {
    return false;
  }
  for (std::size_t at = pagesize; at < d.size(); at += pagesize) {
    const unsigned char type = d[at + 25];
    if ((type != kPageInvalid && type != kPageHash) || u16(&d[at + 20], swap) != 0) return false;
  }
  return true;
}

}  // namespace premigrate::collect::rpmdb
