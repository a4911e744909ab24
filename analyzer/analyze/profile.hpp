// The analysis profile (knowledgebase/curated/analysis-profile.yaml): facts about the source
// distributions and the target file-system layout that the checkers need and that are data,
// not code (vendors, signing keys, merged-/usr aliases, boot-critical module dependencies).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace premigrate::analyze {

struct SourceProfile {
  std::vector<std::string> vendors;       // exact VENDOR tag values
  std::vector<std::string> signing_keys;  // 16-hex-digit key ids, lower case
  std::vector<std::string> references;
};

struct Profile {
  std::map<std::string, SourceProfile> sources;                   // by source release id
  std::vector<std::pair<std::string, std::string>> path_aliases;  // prefix -> prefix (usrmerge)
  std::vector<std::string> boot_critical_depends;  // in-tree modules a storage/net driver uses
  std::vector<std::string> modules_load_dirs;      // where modules-load.d lists live
  std::vector<std::string> library_dirs;           // the dynamic linker's trusted directories
  std::vector<std::string> program_search_path;    // where a bare program name is looked up
  std::map<std::string, std::vector<std::string>> openssh_files;  // sshd_config -> paths
  std::vector<std::string> references;

  [[nodiscard]] const SourceProfile* source(const std::string& id) const;
  // The path and its aliases under the target's layout ("/bin/sh" -> "/usr/bin/sh").
  [[nodiscard]] std::vector<std::string> path_variants(const std::string& path) const;
};

// Throws core::RunError naming the file (and line) on a bad file (load_profile in
// data_files.hpp reads it).
[[nodiscard]] Profile parse_profile(const std::string& yaml_text, const std::string& file);

}  // namespace premigrate::analyze
