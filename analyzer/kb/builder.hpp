// `kb build`: turns a build manifest (knowledgebase/manifests/*.json) and the public datasets
// it names into a pack, deterministically (same inputs and date give the same bytes).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace premigrate::kb {

struct BuildOptions {
  std::filesystem::path kb_dir;       // knowledgebase/ (catalog, curated files)
  std::filesystem::path sources_dir;  // the datasets (default ../shared/kb-sources)
  std::string date;                   // YYYY-MM-DD; empty: SOURCE_DATE_EPOCH, else the manifest's
};

// The build date actually used, and where it came from (flag, SOURCE_DATE_EPOCH, manifest).
[[nodiscard]] std::string resolve_build_date(const BuildOptions& options,
                                             const nlohmann::json& manifest,
                                             const std::string& manifest_name);

// Builds one pack from one manifest; throws core::RunError naming the bad file and line.
[[nodiscard]] nlohmann::json build_pack(const std::filesystem::path& manifest,
                                        const BuildOptions& options);
// The same from a manifest in memory (`kb sync` writes one per target); `name` is used in
// error messages.
[[nodiscard]] nlohmann::json build_pack(const nlohmann::json& manifest, const std::string& name,
                                        const BuildOptions& options);

// Every manifest in kb_dir/manifests, sorted by file name.
[[nodiscard]] std::vector<std::filesystem::path> list_manifests(
    const std::filesystem::path& kb_dir);

// Output file name of the pack a manifest builds.
[[nodiscard]] std::string pack_name_for_manifest(const std::filesystem::path& manifest);

}  // namespace premigrate::kb
