// Component-wise O_NOFOLLOW opening below the root fd (see confined_io.hpp for why).
#include "collect/files/confined_io.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/text.hpp"

namespace premigrate::collect::files {

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

namespace {

// Opens canonical root-relative `path` (no symlinks in it) with O_NOFOLLOW on every step.
Fd open_canonical(const core::RootFs& root, const std::string& path, int final_flags, int& err) {
  Fd cur(::open(root.host_root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!cur.valid()) {
    err = errno;
    return {};
  }
  std::size_t i = 1;
  while (i < path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    const std::string name = path.substr(i, j - i);
    const bool last = j == path.size();
    const int flags = last ? final_flags : (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    Fd next(::openat(cur.get(), name.c_str(), flags));
    if (!next.valid()) {
      err = errno;
      return {};
    }
    cur = std::move(next);
    i = j + 1;
  }
  err = 0;
  return cur;
}

int resolve_error(core::ResolveStatus s) {
  switch (s) {
    case core::ResolveStatus::kOk:
      return 0;
    case core::ResolveStatus::kNotFound:
      return ENOENT;
    case core::ResolveStatus::kNotDir:
      return ENOTDIR;
    case core::ResolveStatus::kLoop:
      return ELOOP;
    case core::ResolveStatus::kAccess:
      return EACCES;
    case core::ResolveStatus::kTooLong:
      return ENAMETOOLONG;
  }
  return EINVAL;
}

}  // namespace

OpenedFile open_file(const core::RootFs& root, std::string_view path, bool follow_final) {
  OpenedFile out;
  const auto res = root.resolve(path, follow_final);
  out.root_path = res.ok() ? res.root_path : core::RootFs::normalize(path);
  if (!res.ok()) {
    out.error = resolve_error(res.status);
    return out;
  }
  out.fd = open_canonical(root, res.root_path,
                          O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, out.error);
  if (!out.fd.valid()) return out;
  if (::fstat(out.fd.get(), &out.st) != 0) {
    out.error = errno;
    out.fd = Fd();
  } else if (!S_ISREG(out.st.st_mode)) {
    out.error = S_ISDIR(out.st.st_mode) ? EISDIR : EINVAL;
    out.fd = Fd();
  }
  return out;
}

std::optional<std::string> read_small_file(const core::RootFs& root, std::string_view path,
                                           core::Diagnostics& diags, std::string_view code,
                                           std::size_t max_bytes) {
  OpenedFile f = open_file(root, path);
  if (!f.fd.valid()) {
    if (f.error != ENOENT && f.error != ENOTDIR) {
      diags.warn(std::string(code), core::printable_path(f.root_path),
                 f.error == EINVAL ? "not a regular file" : std::strerror(f.error));
    }
    return std::nullopt;
  }
  if (static_cast<std::uint64_t>(f.st.st_size) > max_bytes) {
    diags.warn(std::string(code), core::printable_path(f.root_path),
               "larger than " + std::to_string(max_bytes) + " bytes; not read");
    return std::nullopt;
  }
  std::string text;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(f.fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      diags.warn(std::string(code), core::printable_path(f.root_path), std::strerror(errno));
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {  // grew since fstat
      diags.warn(std::string(code), core::printable_path(f.root_path),
                 "larger than " + std::to_string(max_bytes) + " bytes; not read");
      return std::nullopt;
    }
  }
  return text;
}

std::optional<std::string> read_link(const core::RootFs& root, std::string_view path) {
  const auto res = root.resolve(path, false);
  if (!res.ok() || res.root_path == "/") return std::nullopt;
  const std::size_t slash = res.root_path.rfind('/');
  const std::string dir = slash == 0 ? "/" : res.root_path.substr(0, slash);
  const std::string name = res.root_path.substr(slash + 1);
  int err = 0;
  Fd dfd = open_canonical(root, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, err);
  if (!dfd.valid()) return std::nullopt;
  struct stat st {};
  if (::fstatat(dfd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return std::nullopt;
  if (!S_ISLNK(st.st_mode)) return std::string();
  std::string target(4096, '\0');
  const ssize_t n = ::readlinkat(dfd.get(), name.c_str(), target.data(), target.size());
  if (n < 0) return std::nullopt;
  target.resize(static_cast<std::size_t>(n));
  return target;
}

std::optional<std::vector<DirEntry>> list_dir(const core::RootFs& root, std::string_view path) {
  const auto res = root.resolve(path);
  if (!res.ok()) return std::nullopt;
  int err = 0;
  Fd dfd =
      open_canonical(root, res.root_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, err);
  if (!dfd.valid()) return std::nullopt;
  const int list_fd = ::dup(dfd.get());
  DIR* d = list_fd < 0 ? nullptr : ::fdopendir(list_fd);
  if (d == nullptr) {
    if (list_fd >= 0) ::close(list_fd);
    return std::nullopt;
  }
  std::vector<DirEntry> out;
  while (const dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    DirEntry de;
    de.name = e->d_name;
    de.root_path = (res.root_path == "/" ? "" : res.root_path) + "/" + de.name;
    struct stat st {};
    if (::fstatat(dfd.get(), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    de.mode = st.st_mode;
    if (S_ISLNK(st.st_mode)) {
      std::string target(4096, '\0');
      const ssize_t n = ::readlinkat(dfd.get(), e->d_name, target.data(), target.size());
      if (n >= 0) de.link_target.assign(target.data(), static_cast<std::size_t>(n));
    }
    out.push_back(std::move(de));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

}  // namespace premigrate::collect::files
