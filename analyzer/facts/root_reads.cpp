// Lookups and canonical order of the root reads (see root_reads.hpp).
#include "facts/root_reads.hpp"

#include <algorithm>

namespace premigrate::facts {

void RootRequests::merge(const RootRequests& o) {
  text_files.insert(o.text_files.begin(), o.text_files.end());
  text_globs.insert(o.text_globs.begin(), o.text_globs.end());
  exist_globs.insert(o.exist_globs.begin(), o.exist_globs.end());
  exist_paths.insert(o.exist_paths.begin(), o.exist_paths.end());
}

namespace {
template <typename T, typename Key>
const T* find_sorted(const std::vector<T>& v, const std::string& key, Key key_of) {
  auto it = std::lower_bound(v.begin(), v.end(), key,
                             [&](const T& a, const std::string& k) { return key_of(a) < k; });
  return it != v.end() && key_of(*it) == key ? &*it : nullptr;
}
}  // namespace

const TextFile* RootReads::file(const std::string& path) const {
  return find_sorted(files, path, [](const TextFile& f) -> const std::string& { return f.path; });
}

const GlobMatch* RootReads::glob(const std::string& pattern) const {
  return find_sorted(globs, pattern,
                     [](const GlobMatch& g) -> const std::string& { return g.pattern; });
}

std::optional<bool> RootReads::exists(const std::string& path) const {
  const auto* p =
      find_sorted(paths, path, [](const PathPresence& x) -> const std::string& { return x.path; });
  if (p == nullptr) return std::nullopt;
  return p->exists;
}

void RootReads::canonicalize() {
  auto by = [](auto key) {
    return [key](const auto& a, const auto& b) { return key(a) < key(b); };
  };
  std::sort(files.begin(), files.end(), by([](const TextFile& f) { return f.path; }));
  files.erase(std::unique(files.begin(), files.end(),
                          [](const TextFile& a, const TextFile& b) { return a.path == b.path; }),
              files.end());
  std::sort(globs.begin(), globs.end(), by([](const GlobMatch& g) { return g.pattern; }));
  std::sort(paths.begin(), paths.end(), by([](const PathPresence& p) { return p.path; }));
}

}  // namespace premigrate::facts
