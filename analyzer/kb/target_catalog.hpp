// The target catalog (knowledgebase/targets.json): which releases exist, their order, and
// resolution of user target ids (full, short "<family>-<line>", or the default newest LTS).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "kb/model.hpp"

namespace premigrate::kb {

struct Catalog {
  std::string default_family;
  std::vector<TargetRelease> targets;
};

[[nodiscard]] Catalog load_catalog(const std::filesystem::path& kb_dir);
[[nodiscard]] const TargetRelease& find_target(const Catalog& catalog, const std::string& id,
                                               const std::string& file);

// Resolves a --target value to a full target id. Empty: the newest LTS of the default family
// that has packs in kb_dir/packs. A short id ("openeuler-22.03") picks the newest service pack
// of that line that has packs. Throws core::UsageError for an unknown id.
[[nodiscard]] TargetRelease resolve_target(const std::filesystem::path& kb_dir,
                                           const std::string& id);

// Architectures the user asked for: empty means both x86_64 and aarch64.
[[nodiscard]] std::vector<std::string> resolve_arches(const std::string& arch);

// Path of the pack for a migration path (throws core::RunError when it does not exist).
[[nodiscard]] std::filesystem::path pack_path(const std::filesystem::path& kb_dir,
                                              const std::string& source_release,
                                              const std::string& target_id,
                                              const std::string& arch);

}  // namespace premigrate::kb
