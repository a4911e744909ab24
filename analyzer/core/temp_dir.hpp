// A private scratch directory (mkdtemp, mode 0700, under $TMPDIR) removed on destruction and,
// through install_cleanup_handlers(), when the scan is stopped by a signal. Used to open copies
// of databases so that nothing, not even a lock or -shm file, is written into the root.
#pragma once

#include <filesystem>

#include "core/root_fs.hpp"

namespace premigrate::core {

class TempDir {
 public:
  TempDir();  // throws RunError when no scratch directory can be made
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // A descriptor of the directory, for creating files in it with openat (O_EXCL|O_NOFOLLOW).
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  std::filesystem::path path_;
  Fd fd_;
  int slot_ = -1;
};

// SIGINT, SIGTERM, SIGHUP and SIGQUIT remove every live TempDir (with async-signal-safe calls
// only), then the signal takes its default course. Also removes scratch directories that
// earlier runs killed with SIGKILL left behind (named premigrate.<pid>.*, pid no longer alive).
// Call once from main, before any thread starts.
void install_cleanup_handlers();

}  // namespace premigrate::core
