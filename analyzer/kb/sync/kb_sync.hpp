// `premigrate kb sync`: fetches the repodata of every target × arch × repository asked for,
// builds the synced packs and publishes a complete KB folder (targets.json, curated/, packs/)
// without ever leaving a half-written pack.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "kb/sync/repo_fetch.hpp"
#include "kb/sync/sync_progress.hpp"

namespace premigrate::kb::sync {

struct SyncOptions {
  std::filesystem::path kb_dir;      // the bundled KB: catalog, curated files, packs kept from
  std::string mirror;                // base URL (http, https, ftp or file://)
  std::vector<std::string> targets;  // --target values (full or short ids); empty with all
  bool all = false;                  // every target of the catalog
  std::vector<std::string> arches;
  std::string repos;          // --repos, comma-separated; empty: the layout's defaults
  std::filesystem::path out;  // the KB folder written
  // When out is the user's data folder: the bundled packs of targets not synced are copied
  // too, so that scans, which look there first, find every target.
  bool copy_unsynced = false;
  // --exports: download the layout's export_packages (or these, when given) and read the real
  // export lists of their shared libraries.
  bool exports = false;
  std::vector<std::string> export_packages;
  // --for-report: also the packages providing the sonames a scan's report lists as having no
  // export list in the KB (its "elf-library-exports" checks not run).
  std::filesystem::path for_report;
  FetchSettings fetch;
  ProgressMode progress = ProgressMode::kAuto;
};

struct SyncSummary {
  std::vector<std::filesystem::path> packs;  // written, sorted
  std::uint64_t files_downloaded = 0, files_cached = 0, bytes_downloaded = 0;
};

// Throws core::RunError (one line naming the URL or file) on any failure; then nothing in
// `out` has changed.
[[nodiscard]] SyncSummary run_sync(const SyncOptions& options, std::ostream& err);

}  // namespace premigrate::kb::sync
