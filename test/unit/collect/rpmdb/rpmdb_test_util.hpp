// Helpers for the rpmdb tests: fixture paths, reading rpm's own expected output, tree snapshots.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "collect/rpmdb/rpmdb_reader.hpp"
#include "core/temp_dir.hpp"

namespace rpmdb_test {

namespace fs = std::filesystem;

inline fs::path fixture(const std::string& name) {
  return fs::path(PREMIGRATE_FIXTURE_DIR) / "rpm" / name;
}

inline bool shared_present() { return fs::exists(fixture("shared-present")); }

inline std::vector<std::string> lines(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.push_back(l);
  }
  return out;
}

// What `rpm -qa --qf '%{NAME}-%|EPOCH?..|%{VERSION}-%{RELEASE}.%{ARCH} %{RSAHEADER:pgpsig}'`
// prints, rebuilt from our facts (pgpsig's time is ctime-style, in UTC: the fixture sets TZ).
inline std::string rpm_style_line(const premigrate::facts::Package& p) {
  std::string s = p.nevra() + " ";
  if (!p.signature) return s + "(none)";
  std::time_t t = p.signature->created;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
  return s + p.signature->pubkey_algo + "/" + p.signature->hash_algo + ", " + buf + ", Key ID " +
         p.signature->key_id;
}

inline std::vector<std::string> rpm_style_lines(const std::vector<premigrate::facts::Package>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const auto& p : v) out.push_back(rpm_style_line(p));
  std::sort(out.begin(), out.end());
  return out;
}

// Every entry under a tree with type, size and mtime: equal snapshots = nothing written.
inline std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> m;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    struct stat st {};
    ::lstat(it->path().c_str(), &st);
    m[it->path().string()] = std::to_string(st.st_mode) + ":" + std::to_string(st.st_size) + ":" +
                             std::to_string(st.st_mtim.tv_sec) + "." +
                             std::to_string(st.st_mtim.tv_nsec);
  }
  return m;
}

inline const premigrate::facts::Package* find(const std::vector<premigrate::facts::Package>& v,
                                              const std::string& name) {
  for (const auto& p : v) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace rpmdb_test
