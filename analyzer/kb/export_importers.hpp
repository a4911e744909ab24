// Importers of upstream export lists (glibc abilists, OpenSSL .num, libstdc++ baselines, GNU
// version scripts, libxcrypt maps, krb5 .exports): the version nodes and symbols of one soname.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "kb/model.hpp"

namespace premigrate::kb::importers {

struct ExportListOptions {
  std::string format;                // glibc-abilist, openssl-num, libstdcxx-baseline, ...
  std::vector<std::string> defines;  // version-script %ifdef names (libgcc: "__x86_64__")
  std::string glibc_minver;          // libxcrypt-map: the arch's oldest GLIBC node
};

// What one library exports. The node list is always complete. `versioned_exact`: every
// symbol of every node is listed (false when a global list holds globs the importer cannot
// expand). `unversioned_exact`: no other global symbol exists either; a version script without
// "local: *" leaves unlisted globals exported at the base version (zlib.map does).
struct ExportList {
  std::vector<std::string> nodes;                            // sorted, unique
  std::vector<std::pair<std::string, std::string>> symbols;  // (version, name), sorted
  bool versioned_exact = true;
  bool unversioned_exact = true;
  std::uint64_t records = 0;
};

// Reads one or more files (their contents concatenated, as libgcc's map is) of one soname.
// A malformed line throws core::RunError naming the file and the line.
[[nodiscard]] ExportList import_export_list(const std::vector<std::filesystem::path>& files,
                                            const std::string& soname,
                                            const ExportListOptions& options);

// The formats import_export_list understands.
[[nodiscard]] const std::vector<std::string>& export_list_formats();

}  // namespace premigrate::kb::importers
