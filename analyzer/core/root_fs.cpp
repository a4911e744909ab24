// Confined path resolution: a userspace re-implementation of the kernel's path walk rooted at
// the scanned tree (the effect of openat2's RESOLVE_IN_ROOT, portable to old kernels).
#include "core/root_fs.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <vector>

#include "core/errors.hpp"

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

std::string join(const std::vector<std::string>& parts) {
  if (parts.empty()) return "/";
  std::string out;
  for (const auto& p : parts) {
    out += '/';
    out += p;
  }
  return out;
}

}  // namespace

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

RootFs::RootFs(const std::filesystem::path& host_root) {
  std::error_code ec;
  auto canon = std::filesystem::canonical(host_root, ec);
  if (ec) {
    throw RunError("root " + host_root.string() + ": " + ec.message());
  }
  if (!std::filesystem::is_directory(canon, ec)) {
    throw RunError("root " + host_root.string() + ": not a directory");
  }
  host_root_ = canon;
}

std::filesystem::path RootFs::host_path(std::string_view root_path) const {
  std::string norm = normalize(root_path);
  if (norm == "/") return host_root_;
  if (host_root_ == "/") return std::filesystem::path(norm);
  return std::filesystem::path(host_root_.string() + norm);
}

std::string RootFs::normalize(std::string_view path) {
  std::vector<std::string> out;
  for (auto& part : split(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(std::move(part));
  }
  return join(out);
}

Resolution RootFs::resolve(std::string_view path, bool follow_final) const {
  Resolution r;
  if (path.size() > 65536) {
    r.status = ResolveStatus::kTooLong;
    return r;
  }
  std::deque<std::string> todo = split(path);
  std::vector<std::string> done;
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
      }
      continue;
    }
    done.push_back(part);
    const std::string cur = join(done);
    struct stat st {};
    const std::string host = host_path(cur).string();
    if (::lstat(host.c_str(), &st) != 0) {
      r.root_path = cur;
      r.status = (errno == ENOENT)  ? ResolveStatus::kNotFound
                 : (errno == ENOTDIR) ? ResolveStatus::kNotDir
                 : (errno == ENAMETOOLONG) ? ResolveStatus::kTooLong
                                       : ResolveStatus::kAccess;
      return r;
    }
    const bool last = todo.empty();
    if (S_ISLNK(st.st_mode) && (!last || follow_final)) {
      if (++links > kMaxSymlinks) {
        r.root_path = cur;
        r.status = ResolveStatus::kLoop;
        return r;
      }
      std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
      ssize_t n = ::readlink(host.c_str(), target.data(), target.size());
      if (n < 0) {
        r.root_path = cur;
        r.status = ResolveStatus::kAccess;
        return r;
      }
      target.resize(static_cast<std::size_t>(n));
      done.pop_back();
      if (!target.empty() && target.front() == '/') {
        done.clear();  // absolute targets are re-rooted at the scanned root
        r.escaped_attempt = true;
      }
      auto more = split(target);
      for (auto it = more.rbegin(); it != more.rend(); ++it) todo.push_front(*it);
      continue;
    }
    if (!last && !S_ISDIR(st.st_mode)) {
      r.root_path = cur;
      r.status = ResolveStatus::kNotDir;
      return r;
    }
  }
  r.root_path = join(done);
  r.host_path = host_path(r.root_path);
  r.status = ResolveStatus::kOk;
  return r;
}

}  // namespace premigrate::core
