// A private scratch directory (mkdtemp under $TMPDIR) removed on destruction. Used to open
// copies of databases so that nothing, not even a lock or -shm file, is written into the root.
#pragma once

#include <filesystem>

namespace premigrate::core {

class TempDir {
 public:
  TempDir();  // throws RunError when no scratch directory can be made
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace premigrate::core
