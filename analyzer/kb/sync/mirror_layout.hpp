// Where a target's repositories live on a mirror: the "mirror" section of targets.json (the
// openEuler layout by default) with a per-target override for kin distributions and
// internal mirrors.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "kb/model.hpp"

namespace premigrate::kb::sync {

struct MirrorRepo {
  std::string name;        // as the user names it: OS, everything, EPOL, update
  std::string path;        // below the release folder, "{arch}" substituted: "EPOL/main/x86_64"
  std::string repo_class;  // recorded on every package row: os, everything, epol, update
  // The repository holds every binary package of the release (openEuler's "everything"):
  // only then is absence from the synced list evidence.
  bool complete = false;
};

struct MirrorLayout {
  std::string release_dir;        // "openEuler-22.03-LTS-SP4"
  std::vector<MirrorRepo> repos;  // in the catalog's order
  std::vector<std::string> default_repos;
  std::string kernel_package;  // the package whose version is the target kernel ("" none)
  std::vector<std::string> export_packages;  // library packages `kb sync --exports` reads
};

// The layout of one target (kb_dir/targets.json). Throws core::RunError naming the file on a
// malformed section.
[[nodiscard]] MirrorLayout load_mirror_layout(const std::filesystem::path& kb_dir,
                                              const TargetRelease& target);

// <mirror>/<release_dir>/<repo path>/ with {arch} substituted; always ends in '/'.
[[nodiscard]] std::string repo_url(const std::string& mirror, const MirrorLayout& layout,
                                   const MirrorRepo& repo, const std::string& arch);

// "a,b,,c" -> {a, b, c}: the comma-separated lists of the kb sync command line.
[[nodiscard]] std::vector<std::string> split_commas(const std::string& s);

// The repositories the user asked for (--repos, comma-separated; empty: the defaults).
// Throws core::UsageError on a name the layout does not know.
[[nodiscard]] std::vector<MirrorRepo> select_repos(const MirrorLayout& layout,
                                                   const std::string& wanted);

}  // namespace premigrate::kb::sync
