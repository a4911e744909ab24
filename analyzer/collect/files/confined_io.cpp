// Small reads and listings of named places below the root's descriptor (see confined_io.hpp).
#include "collect/files/confined_io.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/dir_stream.hpp"
#include "core/text.hpp"

namespace premigrate::collect::files {

OpenedFile open_file(const core::RootFs& root, std::string_view path, bool follow_final) {
  return root.open_regular(path, follow_final);
}

std::string file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISREG(mode)) return "a regular file";
  return "a special file";
}

std::string read_subject(std::string_view asked, const std::string& root_path) {
  std::string s = core::printable_path(asked);
  const std::string canon = core::printable_path(root_path);
  if (core::RootFs::normalize(asked) != root_path && !root_path.empty()) s += " -> " + canon;
  return s;
}

TextRead read_text(const core::RootFs& root, std::string_view path, std::size_t max_bytes) {
  TextRead out;
  OpenedFile f = root.open_regular(path);
  out.root_path = f.root_path;
  if (!f.fd.valid()) {
    if (f.error == ENOENT || f.error == ENOTDIR) {
      out.status = ReadStatus::kMissing;
    } else if (f.error == EINVAL || f.error == EISDIR) {
      out.status = ReadStatus::kNotRegular;
      out.reason = file_type_name(f.st.st_mode) + ", not a regular file; not opened";
    } else if (f.error == ELOOP || f.error == ESTALE) {
      out.status = ReadStatus::kUnreadable;
      out.reason = f.error == ELOOP ? "a symbolic link appeared in its path during the scan, or "
                                      "too many levels of links; not read"
                                    : "replaced during the scan; not read";
    } else {
      out.status = ReadStatus::kUnreadable;
      out.reason = std::strerror(f.error);
    }
    return out;
  }
  const auto too_large = [&] {
    out.status = ReadStatus::kTooLarge;
    out.reason = "larger than " + std::to_string(max_bytes) + " bytes; not read";
    out.text.clear();
    return out;
  };
  if (static_cast<std::uint64_t>(f.st.st_size) > max_bytes) return too_large();
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(f.fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      out.status = ReadStatus::kUnreadable;
      out.reason = std::strerror(errno);
      out.text.clear();
      return out;
    }
    if (n == 0) break;
    out.text.append(buf, static_cast<std::size_t>(n));
    if (out.text.size() > max_bytes) return too_large();  // grew since fstat
  }
  out.status = ReadStatus::kOk;
  return out;
}

std::optional<std::string> read_small_file(const core::RootFs& root, std::string_view path,
                                           core::Diagnostics& diags, std::string_view code,
                                           std::size_t max_bytes) {
  TextRead r = read_text(root, path, max_bytes);
  if (r.status == ReadStatus::kOk) return std::move(r.text);
  if (r.status != ReadStatus::kMissing)
    diags.warn(std::string(code), read_subject(path, r.root_path), r.reason);
  return std::nullopt;
}

namespace {
// The parent directory of a path resolved without following its final component, opened
// below the root, and that final name.
struct Parent {
  Fd fd;
  std::string dir;
  std::string name;
};
std::optional<Parent> open_parent(const core::RootFs& root, std::string_view path) {
  const auto res = root.resolve(path, false);
  if (!res.ok() || res.root_path == "/") return std::nullopt;
  const std::size_t slash = res.root_path.rfind('/');
  Parent p;
  p.dir = slash == 0 ? "/" : res.root_path.substr(0, slash);
  p.name = res.root_path.substr(slash + 1);
  int err = 0;
  p.fd = root.open_canonical(p.dir, O_PATH | O_DIRECTORY | O_NOFOLLOW, err);
  if (!p.fd.valid()) return std::nullopt;
  return p;
}

std::optional<std::string> link_at(int dfd, const char* name) {
  std::string target(4096, '\0');
  const ssize_t n = ::readlinkat(dfd, name, target.data(), target.size());
  if (n < 0) return std::nullopt;
  target.resize(static_cast<std::size_t>(n));
  return target;
}
}  // namespace

std::optional<std::string> read_link(const core::RootFs& root, std::string_view path) {
  auto p = open_parent(root, path);
  if (!p) return std::nullopt;
  struct stat st {};
  if (::fstatat(p->fd.get(), p->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return std::nullopt;
  if (!S_ISLNK(st.st_mode)) return std::string();
  return link_at(p->fd.get(), p->name.c_str());
}

std::optional<std::vector<DirEntry>> list_dir(const core::RootFs& root, std::string_view path) {
  core::Opened d = root.open_directory(path);
  if (!d.fd.valid()) return std::nullopt;
  const int dfd = d.fd.get();
  // fdopendir takes the descriptor over (closedir closes it); on failure it stays ours.
  const core::DirStream stream(::fdopendir(dfd));
  if (stream == nullptr) return std::nullopt;
  (void)d.fd.release();
  DIR* dir = stream.get();
  std::vector<DirEntry> out;
  const std::string& base = d.root_path;
  while (const dirent* e = ::readdir(dir)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    DirEntry de;
    de.name = e->d_name;
    de.root_path = (base == "/" ? "" : base) + "/" + de.name;
    struct stat st {};
    if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    de.mode = st.st_mode;
    if (S_ISLNK(st.st_mode)) {
      if (auto t = link_at(dfd, e->d_name)) de.link_target = std::move(*t);
    }
    out.push_back(std::move(de));
  }
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

std::vector<std::string> glob_paths(const core::RootFs& root, std::string_view pattern) {
  const auto slash = pattern.rfind('/');
  std::vector<std::string> out;
  if (slash == std::string_view::npos) return out;
  const std::string dir = slash == 0 ? "/" : std::string(pattern.substr(0, slash));
  const std::string name(pattern.substr(slash + 1));
  auto entries = list_dir(root, dir);
  if (!entries) return out;
  for (const auto& e : *entries)
    if (::fnmatch(name.c_str(), e.name.c_str(), FNM_PERIOD) == 0) out.push_back(e.root_path);
  return out;  // list_dir sorts by name
}

}  // namespace premigrate::collect::files
