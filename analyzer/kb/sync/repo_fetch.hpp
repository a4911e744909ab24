// Fetches one repository's metadata (repomd.xml, primary, filelists) into a cache with librepo:
// checksums from repomd.xml, resumable transfers, retries, proxies, file:// URLs, and an
// optional GPG check of repomd.xml. An unchanged repomd.xml downloads nothing more.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kb/importers.hpp"
#include "kb/sync/sync_progress.hpp"

namespace premigrate::kb::sync {

struct FetchSettings {
  std::filesystem::path cache_dir;
  long timeout_seconds = 30;      // connect timeout, and how long a stalled transfer may stall
  int retries = 3;                // further attempts after a failed transfer (resuming it)
  std::string proxy;              // empty: libcurl's own (http_proxy / https_proxy variables)
  std::filesystem::path gpg_key;  // empty: repomd.xml is not verified
};

struct FetchedFile {
  std::string type;  // repomd, primary, filelists
  std::string url;
  std::string checksum;  // "sha256:<hex>" (repomd.xml: of the bytes fetched)
  std::int64_t size = 0;
  bool downloaded = false;  // false: the cached copy matched its checksum
};

struct FetchedRepo {
  std::string url;                 // the repository's base URL
  std::filesystem::path dir;       // the cache folder holding repodata/
  std::string revision;            // repomd.xml <revision>
  std::int64_t timestamp = 0;      // newest record timestamp of repomd.xml
  std::string signature;           // verified / unsigned / not verified (no --gpg-key)
  std::vector<FetchedFile> files;  // repomd.xml first
};

// Fetches base_url (ending in '/'); throws core::RunError with one line naming the URL on a
// 404, a checksum mismatch, a TLS or proxy failure, a bad signature or a malformed repomd.xml.
// A run killed mid-transfer leaves its partial file in the cache (librepo marks it with an
// xattr) and the next call resumes it with a Range request; librepo discards the partial data
// of a transfer that ended in an error, so that one starts again.
[[nodiscard]] FetchedRepo fetch_repo(const std::string& base_url, const FetchSettings& settings,
                                     Progress& progress);

// A package of a fetched repository (its location and checksum from primary.xml) into the
// same cache folder (`dest`), resumable and checked like the metadata (kb sync --exports).
[[nodiscard]] FetchedFile fetch_package(const FetchedRepo& repo,
                                        const importers::PackageLocation& pkg,
                                        const FetchSettings& settings, Progress& progress,
                                        std::filesystem::path& dest);

// The cache folder of a repository URL (one per URL, readable names).
[[nodiscard]] std::filesystem::path cache_folder(const std::filesystem::path& cache_dir,
                                                 const std::string& base_url);

}  // namespace premigrate::kb::sync
