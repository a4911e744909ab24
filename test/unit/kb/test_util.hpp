// Helpers for the KB tests: scratch files under the build tree and the shared-data check.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace premigrate::kb::test {

inline std::filesystem::path scratch(const std::string& name) {
  auto dir = std::filesystem::path(PREMIGRATE_TEST_TMP) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::filesystem::path write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

inline std::filesystem::path kb_sources() {
  return std::filesystem::path(PREMIGRATE_SHARED_DIR) / "kb-sources";
}
inline bool have_sources() { return std::filesystem::is_directory(kb_sources()); }

}  // namespace premigrate::kb::test
