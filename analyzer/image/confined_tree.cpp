// Writing below the private image root by directory descriptors, never through a link.
#include "image/confined_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace premigrate::image {

namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// Deeper trees are left for the scratch directory's own removal (core::TempDir).
constexpr int kMaxDepth = 256;

bool clear_dir_depth(int dir_fd, int depth);

bool remove_tree_depth(int dir_fd, const std::string& name, int depth) {
  if (::unlinkat(dir_fd, name.c_str(), 0) == 0 || errno == ENOENT) return true;
  if (errno != EISDIR && errno != EPERM) return false;
  if (depth >= kMaxDepth) return false;
  core::Fd sub(::openat(dir_fd, name.c_str(), kDirFlags));
  if (!sub.valid()) return false;
  const bool cleared = clear_dir_depth(sub.get(), depth + 1);
  sub = core::Fd();
  return ::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) == 0 && cleared;
}

bool clear_dir_depth(int dir_fd, int depth) {
  // A duplicate descriptor for fdopendir, which takes ownership of the one it is given.
  const int dup_fd = ::openat(dir_fd, ".", kDirFlags);
  if (dup_fd < 0) return false;
  DIR* d = ::fdopendir(dup_fd);
  if (d == nullptr) {
    ::close(dup_fd);
    return false;
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  bool ok = true;
  for (const auto& n : names) ok = remove_tree_depth(dir_fd, n, depth) && ok;
  return ok;
}

}  // namespace

MemberPath split_member_path(const std::string& path) {
  MemberPath m;
  m.absolute = !path.empty() && path.front() == '/';
  std::size_t i = 0;
  while (i <= path.size()) {
    const auto slash = path.find('/', i);
    const auto end = slash == std::string::npos ? path.size() : slash;
    const std::string part = path.substr(i, end - i);
    if (part == "..") m.escape = true;
    if (!part.empty() && part != ".") m.parts.push_back(part);
    i = end + 1;
  }
  return m;
}

DirOpen open_dirs(int base, const std::vector<std::string>& parts, std::size_t count, bool create) {
  DirOpen r;
  r.fd = core::Fd(::openat(base, ".", kDirFlags));
  if (!r.fd.valid()) {
    r.err = errno;
    return r;
  }
  for (std::size_t i = 0; i < count && i < parts.size(); ++i) {
    const char* name = parts[i].c_str();
    int fd = ::openat(r.fd.get(), name, kDirFlags);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(r.fd.get(), name, 0755) != 0 && errno != EEXIST) {
        r.err = errno;
        r.fd = core::Fd();
        return r;
      }
      fd = ::openat(r.fd.get(), name, kDirFlags);
    }
    if (fd < 0) {
      r.err = errno;
      r.fd = core::Fd();
      return r;
    }
    r.fd = core::Fd(fd);
  }
  return r;
}

bool remove_tree_at(int dir_fd, const std::string& name) {
  return remove_tree_depth(dir_fd, name, 0);
}

bool clear_dir(int dir_fd) { return clear_dir_depth(dir_fd, 0); }

}  // namespace premigrate::image
