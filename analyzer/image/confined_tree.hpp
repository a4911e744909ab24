// Directory-descriptor helpers for writing the private image root: every step is relative to a
// descriptor and never follows a symbolic link, so no member can reach outside that root.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/root_fs.hpp"

namespace premigrate::image {

// A member path split into components: "./" and empty components dropped. `escape` is set when
// a ".." component appears (the path is then refused), `absolute` when it began with '/'.
struct MemberPath {
  std::vector<std::string> parts;
  bool escape = false;
  bool absolute = false;
};
[[nodiscard]] MemberPath split_member_path(const std::string& path);

// The descriptor of the directory `parts[0..count)` below `base`, created (mode 0755) where
// missing when `create`. err: 0, or the errno that stopped it (ELOOP or ENOTDIR: a component is
// a symbolic link or not a directory; ENOENT: missing and not created).
struct DirOpen {
  core::Fd fd;
  int err = 0;
};
[[nodiscard]] DirOpen open_dirs(int base, const std::vector<std::string>& parts, std::size_t count,
                                bool create);

// Removes `name` below dir_fd: a file or link with unlinkat, a directory with everything in it
// (descending through O_NOFOLLOW descriptors). Returns false when something stayed.
[[nodiscard]] bool remove_tree_at(int dir_fd, const std::string& name);
// Removes every entry of the directory dir_fd (an opaque whiteout).
[[nodiscard]] bool clear_dir(int dir_fd);

}  // namespace premigrate::image

namespace premigrate::image {

// What one image has used of its ImageLimits so far (members seen, bytes written).
struct WriteBudget {
  std::size_t members = 0;
  std::uint64_t bytes = 0;
};

}  // namespace premigrate::image
