// The on-disk pack format (knowledgebase/schema/kb-pack.schema.json describes the same):
// constants shared by the reader, the writer and the validator.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace premigrate::kb {

inline constexpr int kPackSchemaVersion = 1;
inline constexpr int kManifestSchemaVersion = 1;
inline constexpr int kCatalogSchemaVersion = 1;

// Row layouts (arrays keep packs small and loading fast); the schema names every column.
// binary_packages: [name, arch, evr, repo, source_name, dataset]
// source_packages: [name, repo, dataset]          dropped_packages: [name, dataset]
// evolution: [action, [in...], in_repo, [out...], out_repo, from_release, to_release, dataset,
//             reference]
// provides: [capability, kind, package, dataset]  files: [path, package, dataset]
// kabi / source_kabi: [symbol, crc, module, export_type, whitelisted, dataset]

// Parses JSON text; a syntax error becomes a RunError naming the file and the line.
[[nodiscard]] nlohmann::json parse_json_text(const std::string& text, const std::string& name);
[[nodiscard]] nlohmann::json read_json_file(const std::filesystem::path& file);
[[nodiscard]] std::string read_text_file(const std::filesystem::path& file);

// Deterministic text form of a pack: keys sorted, one row per line, so that packs diff well
// in review and `kb build` run twice gives the same bytes.
[[nodiscard]] std::string write_pack_text(const nlohmann::json& pack);

// The pack file name for a migration path: packs/<source>_to_<target>_<arch>.json
[[nodiscard]] std::string pack_file_name(const std::string& source, const std::string& target,
                                         const std::string& arch);

}  // namespace premigrate::kb
