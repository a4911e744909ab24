// Maps root-relative paths to the package that owns them, built from the rpmdb file lists.
// Paths are indexed both as packaged and with their directory resolved inside the root, so a
// file packaged as /lib64/x is found when the walk meets it as /usr/lib64/x (/lib64 -> usr/lib64).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/root_fs.hpp"
#include "facts/package.hpp"

namespace premigrate::collect::files {

class OwnershipIndex {
 public:
  OwnershipIndex() = default;
  OwnershipIndex(const core::RootFs& root, const std::vector<facts::Package>& packages);

  // NEVRA of the package owning `path` (raw root-relative bytes), or nullptr. When several
  // packages own one path (multilib, shared directories) the smallest NEVRA answers, so the
  // answer does not depend on rpmdb order.
  [[nodiscard]] const std::string* owner(std::string_view path) const;
  [[nodiscard]] std::size_t size() const { return by_path_.size(); }

 private:
  void add(std::string path, const std::string& nevra);

  std::unordered_map<std::string, std::string> by_path_;
};

}  // namespace premigrate::collect::files
