// A synced pack: the target side (binary packages, provides and obsoletes, files, kernel, repo
// class) built by `kb build`'s repodata importer from the fetched metadata, merged with the
// source side and third-party knowledge of the bundled pack for the same migration path.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kb/model.hpp"
#include "kb/sync/mirror_layout.hpp"
#include "kb/sync/repo_fetch.hpp"

namespace premigrate::kb::sync {

struct SyncedRepo {
  MirrorRepo repo;
  FetchedRepo fetched;
};

// The facts a sync takes from the mirror; every other fact is kept from the bundled pack.
inline constexpr const char* kMirrorFacts[] = {"binary_packages", "provides", "files", "kernel"};

// Seconds since the epoch as YYYY-MM-DD and as a semver build stamp (20250115T102030Z), UTC.
[[nodiscard]] std::string utc_date(std::int64_t t);
[[nodiscard]] std::string utc_stamp(std::int64_t t);

// A build manifest (kb build's format, in memory) with one repodata dataset per fetched
// repository, for `arch`; inputs are the cache folders. kernel_package may be empty.
// With export_rpms (kb sync --exports: library packages fetched from the mirror) an
// "rpm-exports" dataset "mirror-exports" reads their shared libraries' real export lists.
struct ExportRpms {
  std::string origin;                       // the mirror URL they came from
  std::vector<std::string> packages;        // names, for the provenance
  std::vector<std::filesystem::path> rpms;  // in the cache
  std::vector<FetchedFile> files;
};
[[nodiscard]] nlohmann::json mirror_manifest(
    const TargetRelease& target, const std::string& source_release, const std::string& arch,
    const std::vector<SyncedRepo>& repos, const MirrorLayout& layout, const std::string& build_date,
    const ExportRpms& exports);

// Replaces the file paths of the built pack's mirror datasets with the URLs fetched and adds
// their checksums ("fetched": [{url, checksum, size}]).
void record_fetched(nlohmann::json& pack, const std::vector<SyncedRepo>& repos,
                    const ExportRpms& exports);

// The synced pack for one source release: `mirror` (built from mirror_manifest) gives the
// target side; `bundled` (null when the KB has no pack for this path) the rest, its dataset
// indices renumbered. When the mirror has no kernel package the bundled kernel stays. Export
// lists from the mirror replace the bundled ones of the same sonames.
// kb_version: the bundled one (else 0.0.0) + "+sync.<stamp>".
[[nodiscard]] nlohmann::json merge_synced_pack(const nlohmann::json& bundled,
                                               const nlohmann::json& mirror,
                                               const std::string& source_release,
                                               const std::string& stamp);

}  // namespace premigrate::kb::sync
