// Root reads: the files, directory globs and paths that the analysis needs from the root
// (config lines for rule probes and the OpenSSH check, modules-load.d lists, program paths),
// asked for before analysis (RootRequests) and answered by the collect stage (RootReads), so
// the analysis reads facts only and never the root itself.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "facts/statuses.hpp"

namespace premigrate::facts {

// What to read. Globs have their wildcards in the last component only
// ("/etc/modules-load.d/*.conf"); a text glob reads every regular file it matches.
struct RootRequests {
  std::set<std::string> text_files;   // read their lines
  std::set<std::string> text_globs;   // list, then read every match's lines
  std::set<std::string> exist_globs;  // list only
  std::set<std::string> exist_paths;  // does the path resolve inside the root?

  void merge(const RootRequests& o);
};

// One file read by name; reason says what stopped a read (naming the file type for
// not_regular). A status absent from an inventory JSON reads as unreadable: not checked.
struct TextFile {
  std::string path;  // the path asked for (or matched by a glob)
  ReadStatus status = ReadStatus::kUnreadable;
  std::string reason;
  std::vector<std::string> lines;  // without line ends ("\r" stripped too)
};

struct GlobMatch {
  std::string pattern;
  std::vector<std::string> matches;  // root-relative paths, sorted
};

struct PathPresence {
  std::string path;
  bool exists = false;
};

struct RootReads {
  std::vector<TextFile> files;      // sorted by path
  std::vector<GlobMatch> globs;     // sorted by pattern
  std::vector<PathPresence> paths;  // sorted by path

  // Null when the file was not asked for (then the analysis cannot say anything of it).
  [[nodiscard]] const TextFile* file(const std::string& path) const;
  [[nodiscard]] const GlobMatch* glob(const std::string& pattern) const;
  [[nodiscard]] std::optional<bool> exists(const std::string& path) const;
  void canonicalize();
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TextFile, path, status, reason, lines)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(GlobMatch, pattern, matches)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PathPresence, path, exists)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RootReads, files, globs, paths)

}  // namespace premigrate::facts
