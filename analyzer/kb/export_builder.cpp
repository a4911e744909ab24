// Builds the export tables of a pack from "exports" datasets (kb/export_builder.hpp).
#include "kb/export_builder.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/errors.hpp"
#include "kb/export_importers.hpp"
#include "kb/rpm/rpm_exports.hpp"

namespace premigrate::kb {

using nlohmann::json;

std::uint64_t import_exports(const json& d, std::uint32_t ds,
                             const std::function<std::filesystem::path(const std::string&)>& input,
                             ExportRows& rows, const std::string& where) {
  const json options = d.contains("options") ? d.at("options") : json::object();
  importers::ExportListOptions o;
  o.format = options.value("format", std::string());
  o.defines = options.value("defines", std::vector<std::string>());
  o.glibc_minver = options.value("glibc_minver", std::string());
  const auto package = options.value("package", std::string());
  const auto version = options.value("version", std::string());
  if (package.empty() || version.empty())
    throw core::RunError(where + ": an exports dataset needs the package and version options");
  const json partial = options.value("partial", json::object());
  // Roles "soname" and "soname#N": the files of one soname in role order (#N sorts after).
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> files;
  for (const auto& [role, path] : d.at("inputs").items()) {
    const auto soname = role.substr(0, role.find('#'));
    files[soname].emplace_back(role, role);
  }
  std::uint64_t records = 0;
  for (auto& [soname, roles] : files) {
    std::sort(roles.begin(), roles.end());
    std::vector<std::filesystem::path> paths;
    for (const auto& r : roles) paths.push_back(input(r.first));
    auto list = importers::import_export_list(paths, soname, o);
    records += list.records;
    ExportLibrary lib;
    lib.soname = soname;
    lib.package = package;
    lib.version = version;
    lib.nodes_complete = true;
    lib.versioned_complete = list.versioned_exact && !partial.contains(soname);
    lib.unversioned_complete = lib.versioned_complete && list.unversioned_exact;
    lib.nodes = std::move(list.nodes);
    lib.compat = options.value("compat", false);
    lib.dataset = ds;
    rows.libraries.push_back(std::move(lib));
    for (auto& [ver, name] : list.symbols) rows.symbols.push_back({soname, ver, name});
  }
  return records;
}

std::uint64_t import_rpm_exports_dataset(
    const json& d, std::uint32_t ds,
    const std::function<std::filesystem::path(const std::string&)>& input, ExportRows& rows) {
  const json options = d.contains("options") ? d.at("options") : json::object();
  importers::RpmExportOptions o;
  o.arches = options.value("arches", std::vector<std::string>());
  const auto compat = options.value("compat_packages", std::vector<std::string>());
  std::vector<std::filesystem::path> paths;
  for (const auto& [role, path] : d.at("inputs").items()) paths.push_back(input(role));
  std::uint64_t records = 0;
  for (auto& lib : importers::import_rpm_exports(paths, o, records)) {
    ExportLibrary l;
    l.soname = lib.soname;
    l.package = lib.package;
    l.version = lib.version;
    l.nodes_complete = l.versioned_complete = l.unversioned_complete = true;
    l.nodes = std::move(lib.list.nodes);
    l.compat = std::find(compat.begin(), compat.end(), lib.package) != compat.end();
    l.dataset = ds;
    rows.libraries.push_back(std::move(l));
    for (auto& [ver, name] : lib.list.symbols) rows.symbols.push_back({lib.soname, ver, name});
  }
  return records;
}

std::uint64_t export_rows_of(const ExportRows& rows, std::uint32_t ds) {
  std::uint64_t n = 0;
  for (const auto& l : rows.libraries) {
    if (l.dataset != ds) continue;
    ++n;
    n += static_cast<std::uint64_t>(
        std::count_if(rows.symbols.begin(), rows.symbols.end(),
                      [&](const auto& s) { return s.soname == l.soname; }));
  }
  return n;
}

void write_export_tables(ExportRows rows, json& pack) {
  std::sort(rows.libraries.begin(), rows.libraries.end(),
            [](const auto& x, const auto& y) { return x.soname < y.soname; });
  json libs = json::array();
  for (std::size_t i = 0; i < rows.libraries.size(); ++i) {
    const auto& l = rows.libraries[i];
    if (i > 0 && rows.libraries[i - 1].soname == l.soname)
      throw core::RunError("soname " + l.soname + " has export lists from two datasets (" +
                           std::to_string(rows.libraries[i - 1].dataset) + " and " +
                           std::to_string(l.dataset) + ")");
    const char* cov = l.unversioned_complete ? "complete"
                      : l.versioned_complete ? "versioned"
                      : l.nodes_complete     ? "nodes"
                                             : "partial";
    libs.push_back({l.soname, l.package, l.version, cov, l.nodes, l.compat, l.dataset});
  }
  std::sort(rows.symbols.begin(), rows.symbols.end(), [](const auto& x, const auto& y) {
    return std::tie(x.soname, x.version, x.name) < std::tie(y.soname, y.version, y.name);
  });
  json syms = json::array();
  for (const auto& s : rows.symbols) syms.push_back({s.soname, s.version, s.name});
  pack["export_libraries"] = std::move(libs);
  pack["export_symbols"] = std::move(syms);
}

}  // namespace premigrate::kb
