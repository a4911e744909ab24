// Opening and listing single paths inside the root for the collectors that read known places
// (/etc/os-release, unit directories): RootFs resolves the path, then every component is
// opened with O_NOFOLLOW below the root fd, so a link swapped in afterwards cannot redirect.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"

namespace premigrate::collect::files {

// An owned file descriptor (closed on destruction).
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct OpenedFile {
  Fd fd;
  std::string root_path;  // canonical root-relative path that was opened
  struct stat st {};
  int error = 0;  // errno when !fd.valid() (ENOENT for missing, ELOOP for a swap)
};

// Opens a regular file read-only (O_NOFOLLOW|O_NONBLOCK|O_NOCTTY, checked S_ISREG after
// open). A final symlink is followed inside the root when follow_final is true.
[[nodiscard]] OpenedFile open_file(const core::RootFs& root, std::string_view path,
                                   bool follow_final = true);

// Reads a whole small text file. Returns nullopt when it does not exist (no diagnostic) or
// cannot be read or is larger than max_bytes (a diagnostic with `code` naming the path).
[[nodiscard]] std::optional<std::string> read_small_file(const core::RootFs& root,
                                                         std::string_view path,
                                                         core::Diagnostics& diags,
                                                         std::string_view code,
                                                         std::size_t max_bytes = 1 << 20);

// The target of the symlink at `path` (its directory part resolved inside the root, the link
// itself not followed); "" when `path` exists but is not a symlink, nullopt when missing.
[[nodiscard]] std::optional<std::string> read_link(const core::RootFs& root, std::string_view path);

struct DirEntry {
  std::string name;
  std::string root_path;    // canonical directory + "/" + name
  mode_t mode = 0;          // lstat mode (a symlink is S_IFLNK)
  std::string link_target;  // for symlinks
};

// Lists a directory (resolved inside the root), sorted by name; nullopt when it is missing
// or not a directory. Entries are lstat'ed, never followed.
[[nodiscard]] std::optional<std::vector<DirEntry>> list_dir(const core::RootFs& root,
                                                            std::string_view path);

}  // namespace premigrate::collect::files
