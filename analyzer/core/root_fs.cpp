// Confined path resolution and opening: a userspace path walk rooted at the scanned tree (the
// effect of openat2's RESOLVE_IN_ROOT, with the canonical path as a result), done with
// *at() calls below descriptors of the root and its directories, never with host paths.
#include "core/root_fs.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <vector>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace premigrate::core {

namespace {

std::deque<std::string> split(std::string_view path) {
  std::deque<std::string> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

ResolveStatus status_of(int err) {
  switch (err) {
    case ENOENT:
      return ResolveStatus::kNotFound;
    case ENOTDIR:
      return ResolveStatus::kNotDir;
    case ELOOP:
      return ResolveStatus::kLoop;
    case ENAMETOOLONG:
      return ResolveStatus::kTooLong;
    default:
      return ResolveStatus::kAccess;
  }
}

// -1 unknown, 0 the kernel (or a seccomp filter) has no openat2, 1 it has.
std::atomic<int> g_have_openat2{-1};

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

std::string_view to_string(ResolveStatus s) {
  switch (s) {
    case ResolveStatus::kOk:
      return "ok";
    case ResolveStatus::kNotFound:
      return "not found";
    case ResolveStatus::kNotDir:
      return "a path component is not a directory";
    case ResolveStatus::kLoop:
      return "too many levels of symbolic links (loop)";
    case ResolveStatus::kAccess:
      return "permission denied";
    case ResolveStatus::kTooLong:
      return "path too long";
  }
  return "unknown";
}

int to_errno(ResolveStatus s) {
  switch (s) {
    case ResolveStatus::kOk:
      return 0;
    case ResolveStatus::kNotFound:
      return ENOENT;
    case ResolveStatus::kNotDir:
      return ENOTDIR;
    case ResolveStatus::kLoop:
      return ELOOP;
    case ResolveStatus::kAccess:
      return EACCES;
    case ResolveStatus::kTooLong:
      return ENAMETOOLONG;
  }
  return EINVAL;
}

RootFs::RootFs(const std::filesystem::path& host_root) {
  std::error_code ec;
  auto canon = std::filesystem::canonical(host_root, ec);
  if (ec) {
    throw RunError("root " + host_root.string() + ": " + ec.message());
  }
  // The root itself is the one host path opened; O_DIRECTORY refuses anything else before
  // it is opened (a device named as the root is never opened).
  root_fd_ = Fd(::open(canon.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd_.valid()) {
    const int err = errno;
    throw RunError("root " + host_root.string() + ": " +
                   (err == ENOTDIR ? std::string("not a directory") : std::strerror(err)));
  }
  host_root_ = canon;
}

std::string RootFs::normalize(std::string_view path) { return normalize_path(path); }

Resolution RootFs::resolve(std::string_view path, bool follow_final) const {
  Resolution r;
  if (path.size() > 65536) {
    r.status = ResolveStatus::kTooLong;
    return r;
  }
  std::deque<std::string> todo = split(path);
  std::vector<std::string> done;
  std::vector<Fd> dirs;  // dirs[i]: an O_PATH descriptor of join(done[0..i])
  auto parent = [&] { return dirs.empty() ? root_fd_.get() : dirs.back().get(); };
  auto fail = [&](ResolveStatus s, const std::string& part) {
    r.root_path = join_root_path(done);
    if (!part.empty()) r.root_path += (done.empty() ? "" : "/") + part;
    r.status = s;
    return r;
  };
  int links = 0;
  while (!todo.empty()) {
    std::string part = std::move(todo.front());
    todo.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (done.empty()) {
        r.escaped_attempt = true;
      } else {
        done.pop_back();
        dirs.pop_back();
      }
      continue;
    }
    const bool last = todo.empty();
    struct stat st {};
    if (::fstatat(parent(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return fail(status_of(errno), part);
    if (S_ISLNK(st.st_mode) && (!last || follow_final)) {
      if (++links > kMaxSymlinks) return fail(ResolveStatus::kLoop, part);
      std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
      const ssize_t n = ::readlinkat(parent(), part.c_str(), target.data(), target.size());
      if (n < 0) return fail(status_of(errno == EINVAL ? ELOOP : errno), part);
      target.resize(static_cast<std::size_t>(n));
      if (!target.empty() && target.front() == '/') {
        done.clear();  // absolute targets are re-rooted at the scanned root
        dirs.clear();
        r.escaped_attempt = true;
      }
      auto more = split(target);
      for (auto it = more.rbegin(); it != more.rend(); ++it) todo.push_front(*it);
      continue;
    }
    if (!last) {
      if (!S_ISDIR(st.st_mode)) return fail(ResolveStatus::kNotDir, part);
      Fd d(::openat(parent(), part.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!d.valid()) return fail(status_of(errno), part);  // ELOOP/ENOTDIR: swapped meanwhile
      dirs.push_back(std::move(d));
    }
    done.push_back(std::move(part));
  }
  r.root_path = join_root_path(done);
  r.status = ResolveStatus::kOk;
  return r;
}

Fd RootFs::open_canonical(const std::string& root_path, int flags, int& err) const {
  const std::string rel = root_path == "/" || root_path.empty() ? "." : root_path.substr(1);
  flags |= O_CLOEXEC;
  if (g_have_openat2.load(std::memory_order_relaxed) != 0) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    for (int attempt = 0; attempt < 8; ++attempt) {
      const long fd = ::syscall(SYS_openat2, root_fd_.get(), rel.c_str(), &how, sizeof how);
      if (fd >= 0) {
        g_have_openat2.store(1, std::memory_order_relaxed);
        err = 0;
        return Fd(static_cast<int>(fd));
      }
      if (errno != EAGAIN) break;  // EAGAIN: a rename raced the lookup; the kernel asks again
    }
    if (errno != ENOSYS && errno != EPERM) {
      err = errno;
      return {};
    }
    if (errno == ENOSYS) g_have_openat2.store(0, std::memory_order_relaxed);
  }
  // Component by component with O_NOFOLLOW below the root descriptor.
  Fd cur;
  int at = root_fd_.get();
  std::size_t i = 1;
  if (rel == ".") {
    Fd f(::openat(at, ".", flags));
    err = f.valid() ? 0 : errno;
    return f;
  }
  while (i <= root_path.size()) {
    std::size_t j = root_path.find('/', i);
    if (j == std::string::npos) j = root_path.size();
    const std::string name = root_path.substr(i, j - i);
    const bool last = j == root_path.size();
    const int f = last ? (flags | O_NOFOLLOW) : (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    Fd next(::openat(at, name.c_str(), f));
    if (!next.valid()) {
      err = errno;
      return {};
    }
    cur = std::move(next);
    at = cur.get();
    if (last) break;
    i = j + 1;
  }
  err = 0;
  return cur;
}

Opened RootFs::open_regular(std::string_view path, bool follow_final) const {
  Opened out;
  const auto res = resolve(path, follow_final);
  out.root_path = res.ok() ? res.root_path : normalize(path);
  if (!res.ok()) {
    out.error = to_errno(res.status);
    return out;
  }
  // O_PATH opens no device and no FIFO: the type is known before anything is opened for
  // reading (some character devices act on open: a watchdog reboots the host).
  Fd probe = open_canonical(res.root_path, O_PATH | O_NOFOLLOW, out.error);
  if (!probe.valid()) return out;
  if (::fstat(probe.get(), &out.st) != 0) {
    out.error = errno;
    return out;
  }
  if (!S_ISREG(out.st.st_mode)) {
    out.error = S_ISDIR(out.st.st_mode) ? EISDIR : EINVAL;
    return out;
  }
  // Reopen that very inode for reading through its descriptor.
  char proc[48];
  std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", probe.get());
  Fd f(::open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!f.valid() && errno != ENOENT && errno != ENOTDIR) {
    out.error = errno;
    return out;
  }
  if (!f.valid()) {  // no /proc: the same confined path again, then the inode must match
    f = open_canonical(res.root_path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, out.error);
    if (!f.valid()) return out;
  }
  struct stat st {};
  if (::fstat(f.get(), &st) != 0 || st.st_dev != out.st.st_dev || st.st_ino != out.st.st_ino) {
    out.error = ESTALE;  // replaced during the scan
    return out;
  }
  out.st = st;
  out.fd = std::move(f);
  out.error = 0;
  return out;
}

Opened RootFs::open_directory(std::string_view path) const {
  Opened out;
  const auto res = resolve(path);
  out.root_path = res.ok() ? res.root_path : normalize(path);
  if (!res.ok()) {
    out.error = to_errno(res.status);
    return out;
  }
  // O_DIRECTORY: the kernel refuses a non-directory before opening it.
  out.fd = open_canonical(res.root_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, out.error);
  if (out.fd.valid() && ::fstat(out.fd.get(), &out.st) != 0) {
    out.error = errno;
    out.fd = Fd();
  }
  return out;
}

namespace {

// Where a host path leads once every symlink on it is followed, including dangling ones (a
// link to a directory not created yet is where mkdir -p would create it). For the output-path
// check only: nothing is opened.
std::filesystem::path host_destination(const std::filesystem::path& p) {
  std::error_code ec;
  std::vector<std::string> todo;
  for (const auto& part : std::filesystem::absolute(p, ec)) todo.push_back(part.string());
  std::reverse(todo.begin(), todo.end());
  std::filesystem::path cur = "/";
  int links = 0;
  while (!todo.empty()) {
    std::string part = std::move(todo.back());
    todo.pop_back();
    if (part.empty() || part == "/" || part == ".") continue;
    if (part == "..") {
      cur = cur.parent_path();
      continue;
    }
    const auto next = cur / part;
    struct stat st {};
    if (::lstat(next.c_str(), &st) == 0 && S_ISLNK(st.st_mode) && ++links <= 40) {
      std::array<char, 4096> buf{};
      const ssize_t n = ::readlink(next.c_str(), buf.data(), buf.size() - 1);
      if (n > 0) {
        const std::filesystem::path target(std::string(buf.data(), static_cast<std::size_t>(n)));
        std::vector<std::string> parts;
        for (const auto& t : target) parts.push_back(t.string());
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_back(*it);
        if (target.is_absolute()) cur = "/";
        continue;
      }
    }
    cur = next;
  }
  return cur;
}

}  // namespace

bool RootFs::contains_host_path(const std::filesystem::path& p) const {
  const auto dest = host_destination(p);
  auto r = host_root_.begin();
  auto a = dest.begin();
  for (; r != host_root_.end() && a != dest.end() && *r == *a; ++r, ++a) {
  }
  if (r == host_root_.end()) return true;
  // A bind mount of the root elsewhere: compare the inode of every existing ancestor.
  struct stat root_st {};
  if (::fstat(root_fd_.get(), &root_st) != 0) return false;
  for (auto cur = dest; !cur.empty(); cur = cur.parent_path()) {
    struct stat st {};
    if (::stat(cur.c_str(), &st) == 0 && st.st_dev == root_st.st_dev && st.st_ino == root_st.st_ino)
      return true;
    if (cur == cur.parent_path()) break;
  }
  return false;
}

}  // namespace premigrate::core
