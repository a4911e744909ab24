// `kb build` side of the export lists: runs the "exports" importer of a manifest dataset and
// writes the pack's export_libraries / export_symbols tables.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kb/exports.hpp"

namespace premigrate::kb {

struct ExportRows {
  std::vector<ExportLibrary> libraries;
  std::vector<ExportSymbol> symbols;
};

// One "exports" dataset: its inputs map a soname (optionally "soname#2", "#3"... for further
// files concatenated to it) to an export list. Options: format, package, version, and per
// format defines / glibc_minver; `partial` {soname: why} marks symbol lists known to be incomplete
// (their nodes still are). Returns the records read. Throws core::RunError naming `where` or the
// file on bad input.
[[nodiscard]] std::uint64_t import_exports(
    const nlohmann::json& dataset, std::uint32_t ds,
    const std::function<std::filesystem::path(const std::string&)>& input, ExportRows& rows,
    const std::string& where);

// One "rpm-exports" dataset: inputs (any role names) are .rpm files or folders of them, e.g.
// a mirror's Packages/; options `arches` (package arches kept) and `compat_packages`. Every
// shared library in the payloads gives a complete list (its real .dynsym and verdefs).
[[nodiscard]] std::uint64_t import_rpm_exports_dataset(
    const nlohmann::json& dataset, std::uint32_t ds,
    const std::function<std::filesystem::path(const std::string&)>& input, ExportRows& rows);

// Rows a dataset put in the pack (libraries and symbols).
[[nodiscard]] std::uint64_t export_rows_of(const ExportRows& rows, std::uint32_t ds);

// Sorted tables; a soname given by two datasets is an error.
void write_export_tables(ExportRows rows, nlohmann::json& pack);

}  // namespace premigrate::kb
