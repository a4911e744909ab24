// Ownership index: one resolve() per distinct packaged directory (cached), not per file.
#include "collect/files/ownership.hpp"

#include <map>

namespace premigrate::collect::files {

namespace {

std::pair<std::string, std::string> split_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return {"/", path.substr(slash == 0 ? 1 : 0)};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace

void OwnershipIndex::add(std::string path, const std::string& nevra) {
  auto [it, inserted] = by_path_.try_emplace(std::move(path), nevra);
  if (!inserted && nevra < it->second) it->second = nevra;
}

OwnershipIndex::OwnershipIndex(const core::RootFs& root,
                               const std::vector<facts::Package>& packages) {
  std::map<std::string, std::string> resolved_dirs;  // packaged dir -> dir as it is in the root
  for (const auto& pkg : packages) {
    const std::string nevra = pkg.nevra();
    for (const auto& f : pkg.files) {
      std::string path = core::RootFs::normalize(f.path);
      if (path == "/") continue;
      auto [dir, base] = split_dir(path);
      auto it = resolved_dirs.find(dir);
      if (it == resolved_dirs.end()) {
        // Only the directory part is resolved: the file itself may be a packaged symlink.
        const auto res = root.resolve(dir);
        it = resolved_dirs.emplace(dir, res.ok() ? res.root_path : dir).first;
      }
      if (it->second != dir) {
        add((it->second == "/" ? "" : it->second) + "/" + base, nevra);
      }
      add(std::move(path), nevra);
    }
  }
}

const std::string* OwnershipIndex::owner(std::string_view path) const {
  auto it = by_path_.find(std::string(path));
  return it == by_path_.end() ? nullptr : &it->second;
}

}  // namespace premigrate::collect::files
