// Per-soname exports of the target's libraries held by a pack (`export_libraries`,
// `export_symbols`): the version nodes each defines and the symbols it exports, with coverage.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace premigrate::kb {

// One library of the target: where its export list comes from and how far it can be trusted.
struct ExportLibrary {
  std::string soname;
  std::string package;  // binary package shipping it ("glibc", "compat-openssl11-libs")
  std::string version;  // upstream version of the export list ("2.34", "1.1.1wa")
  // What absence from the list proves (pack column "coverage"): "complete" everything below;
  // "versioned" a node, or a symbol of a node, is absent; "nodes" a node is absent; "partial"
  // nothing.
  bool nodes_complete = true;
  bool versioned_complete = true;    // symbol@node lists
  bool unversioned_complete = true;  // no other global symbols at all
  std::vector<std::string> nodes;    // version nodes it defines
  bool compat = false;               // shipped by a compat package that is not installed by default
  std::uint32_t dataset = 0;
};

// One exported symbol: [soname, version node ("" when unversioned), name].
struct ExportSymbol {
  std::string soname, version, name;
};

class ExportIndex {
 public:
  // Reads the two tables of a parsed pack (absent tables: no exports); throws core::RunError
  // (naming `file`) on a malformed row or a dataset index not below `datasets`.
  [[nodiscard]] static ExportIndex from_pack(const nlohmann::json& pack, const std::string& file,
                                             std::size_t datasets);

  [[nodiscard]] const ExportLibrary* library(std::string_view soname) const;
  [[nodiscard]] bool defines_node(std::string_view soname, std::string_view node) const;
  // `version` empty: an unversioned reference, which binds to the default definition, so any
  // version of the name answers.
  [[nodiscard]] bool exports_symbol(std::string_view soname, std::string_view name,
                                    std::string_view version) const;
  [[nodiscard]] const std::vector<ExportLibrary>& libraries() const { return libraries_; }
  [[nodiscard]] std::size_t symbol_count() const { return symbols_; }

 private:
  std::vector<ExportLibrary> libraries_;
  std::size_t symbols_ = 0;
  std::unordered_map<std::string, std::uint32_t> by_soname_;
  std::unordered_set<std::string> nodes_;      // soname '\n' node
  std::unordered_set<std::string> names_;      // soname '\n' name
  std::unordered_set<std::string> versioned_;  // soname '\n' name '@' version
};

}  // namespace premigrate::kb
