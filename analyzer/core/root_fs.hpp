// RootFs: the scanned root, the one way into it. Every path the scanner handles is root-relative
// ("/etc/passwd"); symlinks resolve inside the root (absolute targets are re-rooted, ".." stops
// at the root). Everything is looked up relative to a directory descriptor of the root held
// for the whole scan: no host path of a file inside the root is ever built or handed out.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace premigrate::core {

enum class ResolveStatus {
  kOk,
  kNotFound,  // a component does not exist
  kNotDir,    // a non-final component is not a directory
  kLoop,      // more than kMaxSymlinks symlinks followed (a loop, or hostile depth)
  kAccess,    // a component could not be examined (EACCES and similar)
  kTooLong,   // path too long
};

[[nodiscard]] std::string_view to_string(ResolveStatus s);
// The errno that stands for a status (ENOENT, ENOTDIR, ELOOP, EACCES, ENAMETOOLONG; 0 for ok).
[[nodiscard]] int to_errno(ResolveStatus s);

struct Resolution {
  ResolveStatus status = ResolveStatus::kNotFound;
  std::string root_path;         // canonical root-relative path ("/usr/lib64/libc.so.6")
  bool escaped_attempt = false;  // a link tried to climb above "/" or pointed to an absolute
                                 // path: it was re-rooted (worth a diagnostic, not an error)
  [[nodiscard]] bool ok() const { return status == ResolveStatus::kOk; }
};

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
  [[nodiscard]] int release() {
    const int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_ = -1;
};

// What the confined open of one path gave: a descriptor of the canonical path's inode, its
// stat, or the errno that stopped it (ENOENT missing, ELOOP a link swapped in during the scan,
// EINVAL/EISDIR not a regular file: the file was never opened for reading then).
struct Opened {
  Fd fd;
  std::string root_path;  // canonical root-relative path (or the normalised request on failure)
  struct stat st {};
  int error = 0;
};

class RootFs {
 public:
  static constexpr int kMaxSymlinks = 40;  // the same limit as Linux's path walk (ELOOP)

  // Opens the root directory once (O_PATH). Throws RunError naming the path when it does not
  // exist or is not a directory.
  explicit RootFs(const std::filesystem::path& host_root);
  RootFs(RootFs&&) noexcept = default;
  RootFs& operator=(RootFs&&) noexcept = default;
  RootFs(const RootFs&) = delete;
  RootFs& operator=(const RootFs&) = delete;

  // The root as given on the command line, canonical: for messages and for refusing an
  // output directory inside it, never to build a path to open.
  [[nodiscard]] const std::filesystem::path& host_root() const { return host_root_; }
  [[nodiscard]] bool is_host_root() const { return host_root_ == "/"; }
  // The root's directory descriptor (O_PATH): every open below the root starts here.
  [[nodiscard]] int root_fd() const { return root_fd_.get(); }

  // Resolves root-relative `path` component by component with fstatat/readlinkat below
  // descriptors of its directories, never leaving the root. With follow_final=false a final
  // symlink is not followed (lstat semantics).
  [[nodiscard]] Resolution resolve(std::string_view path, bool follow_final = true) const;

  // Opens a canonical root-relative path (one that came out of resolve(): no symlinks in it)
  // below the root descriptor: openat2 with RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS where the
  // kernel has it, else component by component with O_NOFOLLOW. A symlink met on the way
  // (one swapped in after resolve) fails with ELOOP. Returns -1 and sets err on failure.
  [[nodiscard]] Fd open_canonical(const std::string& root_path, int flags, int& err) const;

  // Resolves `path` and opens it as a regular file for reading, checking its type before it
  // is opened for reading (O_PATH first, then a reopen of that very inode): a device, FIFO or
  // socket is never opened. O_NONBLOCK | O_NOCTTY | O_CLOEXEC.
  [[nodiscard]] Opened open_regular(std::string_view path, bool follow_final = true) const;
  // Resolves `path` and opens it as a directory (O_RDONLY | O_DIRECTORY), for listing.
  [[nodiscard]] Opened open_directory(std::string_view path) const;

  // Lexically normalises a root-relative path: collapses "//", ".", and ".." (never above "/").
  [[nodiscard]] static std::string normalize(std::string_view path);

  // True when host path `p` (made absolute and canonical as far as it exists) is the root or
  // lies below it: for refusing to write reports into the scanned root.
  [[nodiscard]] bool contains_host_path(const std::filesystem::path& p) const;

 private:
  std::filesystem::path host_root_;
  Fd root_fd_;
};

}  // namespace premigrate::core
