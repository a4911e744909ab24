// RootFs: the scanned root. Every path the scanner handles is root-relative ("/etc/passwd");
// symlinks resolve inside the root (absolute targets are re-rooted, ".." stops at the root),
// so nothing the scan opens can lie outside it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace premigrate::core {

enum class ResolveStatus {
  kOk,
  kNotFound,     // a component does not exist
  kNotDir,       // a non-final component is not a directory
  kLoop,         // more than kMaxSymlinks symlinks followed (a loop, or hostile depth)
  kAccess,       // a component could not be examined (EACCES and similar)
  kTooLong,      // path too long
};

[[nodiscard]] std::string_view to_string(ResolveStatus s);

struct Resolution {
  ResolveStatus status = ResolveStatus::kNotFound;
  std::string root_path;             // canonical root-relative path ("/usr/lib64/libc.so.6")
  std::filesystem::path host_path;   // where that is on this machine (inside host_root)
  bool escaped_attempt = false;      // a link tried to climb above "/" or pointed to an absolute
                                     // path: it was re-rooted (worth a diagnostic, not an error)
  [[nodiscard]] bool ok() const { return status == ResolveStatus::kOk; }
};

class RootFs {
 public:
  static constexpr int kMaxSymlinks = 40;  // the same limit as Linux's path walk (ELOOP)

  // Throws RunError naming the path when it does not exist or is not a directory.
  explicit RootFs(const std::filesystem::path& host_root);

  [[nodiscard]] const std::filesystem::path& host_root() const { return host_root_; }
  [[nodiscard]] bool is_host_root() const { return host_root_ == "/"; }

  // Resolves root-relative `path` component by component with lstat/readlink, never leaving
  // the root. With follow_final=false a final symlink is not followed (lstat semantics).
  [[nodiscard]] Resolution resolve(std::string_view path, bool follow_final = true) const;

  // Lexical join of a normalised root-relative path onto the host root, no link following.
  // Only for paths that came out of resolve() or a confined walk.
  [[nodiscard]] std::filesystem::path host_path(std::string_view root_path) const;

  // Lexically normalises a root-relative path: collapses "//", ".", and ".." (never above "/").
  [[nodiscard]] static std::string normalize(std::string_view path);

 private:
  std::filesystem::path host_root_;
};

}  // namespace premigrate::core
