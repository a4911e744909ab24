// Exports of the shared libraries inside target RPM files (a user's mirror): the payload is
// read with librpm, each library's .dynsym and version definitions with libelf (collect/elf).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kb/export_importers.hpp"

namespace premigrate::kb::importers {

struct RpmLibraryExports {
  std::string soname;
  std::string package;  // binary package name
  std::string version;  // its version-release
  std::string file;     // path inside the package
  ExportList list;      // exact: a real .dynsym lists every export
};

struct RpmExportOptions {
  std::vector<std::string> arches;  // package arches kept (empty: all); noarch has no ELF
};

// `inputs`: .rpm files or folders holding them (not recursive), read in name order. Every
// regular file of a payload that is an ELF shared object with a DT_SONAME gives one entry; a
// soname seen again (another file or package) keeps the first. `records` counts the ELF
// libraries read. A file librpm cannot read throws core::RunError naming it.
[[nodiscard]] std::vector<RpmLibraryExports> import_rpm_exports(
    const std::vector<std::filesystem::path>& inputs, const RpmExportOptions& options,
    std::uint64_t& records);

}  // namespace premigrate::kb::importers
