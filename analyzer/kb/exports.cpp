// Loads and indexes a pack's export tables (kb/exports.hpp).
#include "kb/exports.hpp"

#include "core/errors.hpp"

namespace premigrate::kb {

using nlohmann::json;

namespace {

const json* table(const json& pack, const char* key, const std::string& file) {
  auto it = pack.find(key);
  if (it == pack.end()) return nullptr;
  if (!it->is_array()) throw core::RunError(file + ": '" + key + "' is not an array");
  return &*it;
}

std::string key(std::string_view a, std::string_view b) {
  std::string k;
  k.reserve(a.size() + b.size() + 1);
  k.append(a).append(1, '\n').append(b);
  return k;
}

// The lookups below run once per (symbol, library) an unpackaged object imports: the key is
// built in one per-thread buffer instead of a fresh string per call (C++17 sets have no
// heterogeneous lookup). Keys: soname '\n' name, or soname '\n' name '@' version.
const std::string& lookup_key(std::string_view soname, std::string_view name,
                              std::string_view version = {}) {
  thread_local std::string k;
  k.assign(soname).append(1, '\n').append(name);
  if (!version.empty()) k.append(1, '@').append(version);
  return k;
}

}  // namespace

ExportIndex ExportIndex::from_pack(const json& pack, const std::string& file,
                                   std::size_t datasets) {
  ExportIndex x;
  auto row_error = [&](const char* t, std::size_t i, const std::string& what) {
    return core::RunError(file + ": " + t + "[" + std::to_string(i) + "]: " + what);
  };
  if (const auto* libs = table(pack, "export_libraries", file)) {
    std::size_t i = 0;
    for (const auto& r : *libs) {
      if (!r.is_array() || r.size() != 7 || !r[4].is_array() || !r[5].is_boolean() ||
          !r[6].is_number_integer() || r[6].get<std::int64_t>() < 0)
        throw row_error("export_libraries", i,
                        "expected [soname, package, version, coverage, [nodes], compat, dataset]");
      ExportLibrary l;
      l.soname = r[0].get<std::string>();
      l.package = r[1].get<std::string>();
      l.version = r[2].get<std::string>();
      const auto cov = r[3].get<std::string>();
      const int level = cov == "complete"    ? 3
                        : cov == "versioned" ? 2
                        : cov == "nodes"     ? 1
                        : cov == "partial"   ? 0
                                             : -1;
      if (level < 0)
        throw row_error("export_libraries", i,
                        "coverage must be complete, versioned, nodes or partial");
      l.nodes_complete = level >= 1;
      l.versioned_complete = level >= 2;
      l.unversioned_complete = level >= 3;
      l.nodes = r[4].get<std::vector<std::string>>();
      l.compat = r[5].get<bool>();
      const auto ds = r[6].get<std::uint64_t>();
      if (ds >= datasets)
        throw row_error("export_libraries", i,
                        "names dataset " + std::to_string(ds) + " but the pack lists " +
                            std::to_string(datasets));
      l.dataset = static_cast<std::uint32_t>(ds);
      if (!x.by_soname_.emplace(l.soname, static_cast<std::uint32_t>(x.libraries_.size())).second)
        throw row_error("export_libraries", i, "soname " + l.soname + " listed twice");
      for (const auto& n : l.nodes) x.nodes_.insert(key(l.soname, n));
      x.libraries_.push_back(std::move(l));
      ++i;
    }
  }
  if (const auto* syms = table(pack, "export_symbols", file)) {
    x.names_.reserve(syms->size());
    x.versioned_.reserve(syms->size());
    std::size_t i = 0;
    for (const auto& r : *syms) {
      if (!r.is_array() || r.size() != 3 || !r[0].is_string() || !r[1].is_string() ||
          !r[2].is_string())
        throw row_error("export_symbols", i, "expected [soname, version, symbol]");
      const auto& soname = r[0].get_ref<const std::string&>();
      if (!x.by_soname_.count(soname))
        throw row_error("export_symbols", i, "soname " + soname + " has no export_libraries row");
      const auto& version = r[1].get_ref<const std::string&>();
      const auto& name = r[2].get_ref<const std::string&>();
      x.names_.insert(key(soname, name));
      x.versioned_.insert(key(soname, name + "@" + version));
      ++i;
    }
    x.symbols_ = i;
  }
  return x;
}

const ExportLibrary* ExportIndex::library(std::string_view soname) const {
  thread_local std::string k;
  k.assign(soname);
  auto it = by_soname_.find(k);
  return it == by_soname_.end() ? nullptr : &libraries_[it->second];
}

bool ExportIndex::defines_node(std::string_view soname, std::string_view node) const {
  return nodes_.count(lookup_key(soname, node)) > 0;
}

bool ExportIndex::exports_symbol(std::string_view soname, std::string_view name,
                                 std::string_view version) const {
  if (version.empty()) return names_.count(lookup_key(soname, name)) > 0;
  return versioned_.count(lookup_key(soname, name, version)) > 0;
}

}  // namespace premigrate::kb
