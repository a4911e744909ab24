// The confined, parallel file walk. One producer traverses directories with openat/fstatat
// relative to already-open directory fds (never following a symlink), and a pool of workers
// hands each regular file, already open and checked, to a visitor.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "collect/files/ownership.hpp"
#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/host_files.hpp"

namespace premigrate::collect::files {

struct WalkOptions {
  std::vector<std::string> paths;     // root-relative subtrees; empty = the whole root
  std::vector<std::string> excludes;  // fnmatch globs on root-relative paths (flags 0)
  bool one_file_system = false;       // stay on the root's st_dev
  std::uint64_t max_file_size = 1ULL << 30;
  unsigned jobs = 0;      // 0 = hardware_concurrency()
  bool progress = false;  // redraw a line on stderr, at most ~5 times a second
  // Called after an entry was listed and lstat'ed and before it is opened, with its
  // root-relative path: the one moment a concurrent change of the tree matters. For a
  // directory it runs on the walking thread, for a regular file on the worker that opens it
  // (so it must be thread-safe). Tests use it to swap or remove the entry deterministically;
  // production leaves it empty.
  std::function<void(const std::string& path)> before_open;
};

// What a header sniff found in the first bytes of a file.
enum class FileKind { kOther, kElf, kShebang };

inline constexpr std::size_t kHeaderSize = 256;  // enough for ELF magic and a shebang line

struct FileEntry {
  std::string path;  // root-relative, raw bytes (may hold newlines or non-UTF-8)
  int fd = -1;       // read-only, O_NOFOLLOW, verified S_ISREG; the walker closes it
  struct stat st {};
  std::string_view header;  // up to kHeaderSize bytes read from offset 0
  FileKind kind = FileKind::kOther;
  const std::string* owner = nullptr;  // owning NEVRA, nullptr when unpackaged
};

class FileVisitor {
 public:
  virtual ~FileVisitor() = default;
  // Called concurrently from the worker threads, in no particular order. May read `fd`
  // (pread or lseek+read; the offset is the visitor's to move) but must not close it.
  virtual void on_file(const FileEntry& entry) = 0;
  // Called from the producer thread for each symlink met (never followed by the walk).
  virtual void on_symlink(const std::string& path, const std::string& target) {
    (void)path;
    (void)target;
  }
};

// Walks the root. Never throws for bad input: unreadable entries, oversized files, changed
// entries and hostile links become diagnostics (codes "walk.*") and the walk goes on.
// `owners` may be null (everything is then unpackaged); `visitor` may be null (count only).
[[nodiscard]] facts::WalkSummary walk(const core::RootFs& root, const WalkOptions& options,
                                      const OwnershipIndex* owners, FileVisitor* visitor,
                                      core::Diagnostics& diags);

// True for the root-relative paths the walk of the live host's / never enters by name: /proc,
// /sys, /dev, /run (in an image they are ordinary directories).
[[nodiscard]] bool is_pseudo_path(std::string_view root_path);

// True for file system magic numbers (statfs f_type) of kernel pseudo file systems whose
// content is not part of an installed system.
[[nodiscard]] bool is_pseudo_fs_type(long f_type, std::string_view root_path);

}  // namespace premigrate::collect::files
