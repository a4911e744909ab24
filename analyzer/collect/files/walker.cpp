// Walk implementation. Confinement comes from the traversal itself: every directory is opened
// with openat(parent_fd, name, O_NOFOLLOW|O_DIRECTORY), so a directory swapped for a symlink
// mid-scan fails to open instead of redirecting the walk outside the root.
#include "collect/files/walker.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "collect/files/bounded_queue.hpp"
#include "core/text.hpp"

namespace premigrate::collect::files {

namespace {

constexpr int kMaxDepth = 256;  // deeper trees are hostile; each level holds one open fd
constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// O_NONBLOCK: a regular file swapped for a FIFO between fstatat and open cannot block us.
constexpr int kFileFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;

// Magic numbers missing from older <linux/magic.h> copies.
constexpr long kCgroupMagic = 0x27e0eb;
constexpr long kCgroup2Magic = 0x63677270;
constexpr long kTracefsMagic = 0x74726163;
constexpr long kPstoreMagic = 0x6165676c;
constexpr long kBpfMagic = static_cast<long>(0xcafe4a11);
constexpr long kConfigfsMagic = 0x62656570;
constexpr long kFusectlMagic = 0x65735543;
constexpr long kMqueueMagic = 0x19800202;
constexpr long kBinfmtMagic = 0x42494e4d;
constexpr long kSelinuxMagic = static_cast<long>(0xf97cff8c);
constexpr long kEfivarfsMagic = static_cast<long>(0xde5e81e4);
constexpr long kNsfsMagic = 0x6e736673;
constexpr long kAutofsMagic = 0x0187;
constexpr long kRpcPipefsMagic = 0x67596969;

std::string child_path(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

bool has_prefix_dir(std::string_view path, std::string_view dir) {
  return path == dir ||
         (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

struct Job {
  std::string path;
  int fd = -1;
  struct stat st {};
};

class Walker {
 public:
  Walker(const core::RootFs& root, const WalkOptions& opts, const OwnershipIndex* owners,
         FileVisitor* visitor, core::Diagnostics& diags)
      : root_(root), opts_(opts), owners_(owners), visitor_(visitor), diags_(diags), queue_(256) {}

  facts::WalkSummary run();

 private:
  void walk_start(int root_fd, const std::string& start);
  void walk_dir(int dfd, const std::string& path, const struct stat& st, dev_t parent_dev,
                int depth);
  void visit_entry(int dfd, const std::string& dir_path, const std::string& name, dev_t dir_dev,
                   int depth);
  void visit_file(int dfd, const std::string& name, const std::string& path, const struct stat& st);
  void visit_symlink(int dfd, const std::string& name, const std::string& path);
  void worker();
  void process(Job& job);
  void progress_loop();
  void draw_progress(bool final_line);
  bool excluded(const std::string& path) const;
  void skip_subtree(const std::string& path, const std::string& why);
  void unreadable(const std::string& path, int err);

  const core::RootFs& root_;
  const WalkOptions& opts_;
  const OwnershipIndex* owners_;
  FileVisitor* visitor_;
  core::Diagnostics& diags_;
  BoundedQueue<Job> queue_;
  dev_t root_dev_ = 0;
  std::set<std::pair<dev_t, ino_t>> seen_dirs_;  // producer thread only
  std::set<std::string> skipped_;                // producer thread only; sorted output
  std::atomic<std::uint64_t> files_{0}, dirs_{0}, links_{0}, special_{0}, elf_{0}, unpackaged_{0},
      too_large_{0}, unreadable_{0};
  std::chrono::steady_clock::time_point started_;
  std::mutex progress_mu_;
  std::condition_variable progress_cv_;
  bool done_ = false;
};

bool Walker::excluded(const std::string& path) const {
  for (const auto& pattern : opts_.excludes) {
    if (::fnmatch(pattern.c_str(), path.c_str(), 0) == 0) return true;
  }
  return false;
}

void Walker::skip_subtree(const std::string& path, const std::string& why) {
  skipped_.insert(core::printable_path(path) + " (" + why + ")");
}

void Walker::unreadable(const std::string& path, int err) {
  ++unreadable_;
  diags_.warn("walk.unreadable", core::printable_path(path), std::strerror(err));
}

facts::WalkSummary Walker::run() {
  started_ = std::chrono::steady_clock::now();
  const std::string host_root = root_.host_root().string();
  const int root_fd = ::open(host_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    unreadable("/", errno);
  } else {
    struct stat st {};
    if (::fstat(root_fd, &st) == 0) root_dev_ = st.st_dev;
    unsigned n = opts_.jobs != 0 ? opts_.jobs : std::thread::hardware_concurrency();
    if (n == 0) n = 1;
    std::vector<std::thread> workers;
    workers.reserve(n);
    for (unsigned i = 0; i < n; ++i) workers.emplace_back([this] { worker(); });
    std::thread progress;
    if (opts_.progress) progress = std::thread([this] { progress_loop(); });

    std::vector<std::string> starts;
    for (const auto& p : opts_.paths) starts.push_back(p);
    if (starts.empty()) starts.emplace_back("/");
    for (const auto& s : starts) walk_start(root_fd, s);
    ::close(root_fd);

    queue_.close();
    for (auto& w : workers) w.join();
    {
      std::lock_guard lock(progress_mu_);
      done_ = true;
    }
    progress_cv_.notify_all();
    if (progress.joinable()) progress.join();
  }
  facts::WalkSummary s;
  s.files = files_;
  s.directories = dirs_;
  s.symlinks = links_;
  s.special = special_;
  s.elf_objects = elf_;
  s.unpackaged_files = unpackaged_;
  s.skipped_too_large = too_large_;
  s.unreadable = unreadable_;
  s.skipped_mounts.assign(skipped_.begin(), skipped_.end());
  return s;
}

// Opens the start path component by component below root_fd with O_NOFOLLOW, after RootFs
// has resolved its symlinks inside the root ("/lib64" -> "/usr/lib64").
void Walker::walk_start(int root_fd, const std::string& start) {
  const auto res = root_.resolve(start);
  if (!res.ok()) {
    diags_.warn("walk.start", core::printable_path(start),
                "cannot walk: " + std::string(core::to_string(res.status)));
    return;
  }
  const std::string& canon = res.root_path;
  int fd = ::dup(root_fd);
  if (fd < 0) {
    unreadable(canon, errno);
    return;
  }
  std::string dir = "/";
  std::size_t i = 1;
  while (i <= canon.size() && canon != "/") {
    std::size_t j = canon.find('/', i);
    if (j == std::string::npos) j = canon.size();
    const std::string name = canon.substr(i, j - i);
    const bool last = j == canon.size();
    if (last) {
      visit_entry(fd, dir, name, root_dev_, 1);
      ::close(fd);
      return;
    }
    const int next = ::openat(fd, name.c_str(), kDirFlags);
    const int err = errno;
    ::close(fd);
    dir = child_path(dir, name);
    if (next < 0) {
      unreadable(dir, err);
      return;
    }
    fd = next;
    i = j + 1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    unreadable("/", errno);
  } else {
    walk_dir(fd, "/", st, st.st_dev, 0);
  }
  ::close(fd);
}

void Walker::walk_dir(int dfd, const std::string& path, const struct stat& st, dev_t parent_dev,
                      int depth) {
  ++dirs_;
  if (depth > kMaxDepth) {
    diags_.warn("walk.too_deep", core::printable_path(path),
                "directory nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    return;
  }
  if (!seen_dirs_.insert({st.st_dev, st.st_ino}).second) {
    // Only bind mounts can show one directory twice; links are never followed.
    diags_.info("walk.dir_seen", core::printable_path(path),
                "directory already walked under another path (bind mount)");
    return;
  }
  if (st.st_dev != parent_dev || depth == 0) {
    struct statfs sfs {};
    if (::fstatfs(dfd, &sfs) == 0 && is_pseudo_fs_type(static_cast<long>(sfs.f_type), path)) {
      skip_subtree(path, "pseudo file system");
      return;
    }
  }
  if (opts_.one_file_system && st.st_dev != root_dev_) {
    skip_subtree(path, "other file system");
    return;
  }
  const int list_fd = ::dup(dfd);
  DIR* d = list_fd < 0 ? nullptr : ::fdopendir(list_fd);
  if (d == nullptr) {
    const int err = errno;
    if (list_fd >= 0) ::close(list_fd);
    unreadable(path, err);
    return;
  }
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
    errno = 0;
  }
  if (errno != 0) unreadable(path, errno);
  ::closedir(d);
  // Sorted so that traversal, and therefore which of two bind-mounted paths wins, is stable.
  std::sort(names.begin(), names.end());
  for (const auto& name : names) visit_entry(dfd, path, name, st.st_dev, depth + 1);
}

void Walker::visit_entry(int dfd, const std::string& dir_path, const std::string& name,
                         dev_t dir_dev, int depth) {
  const std::string path = child_path(dir_path, name);
  struct stat st {};
  if (::fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) {
      diags_.info("walk.changed", core::printable_path(path),
                  "entry was removed during the scan; not read");
    } else {
      unreadable(path, errno);
    }
    return;
  }
  if (excluded(path)) {
    if (S_ISDIR(st.st_mode)) skip_subtree(path, "excluded");
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    if (is_pseudo_path(path)) {
      ++dirs_;
      skip_subtree(path, "pseudo file system");
      return;
    }
    if (opts_.before_open) opts_.before_open(path);
    const int fd = ::openat(dfd, name.c_str(), kDirFlags);
    if (fd < 0) {
      if (errno == ELOOP || errno == ENOTDIR) {
        diags_.warn("walk.changed", core::printable_path(path),
                    "directory was replaced during the scan; not followed");
      } else {
        unreadable(path, errno);
      }
      return;
    }
    struct stat fst {};
    if (::fstat(fd, &fst) != 0 || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
      diags_.warn("walk.changed", core::printable_path(path),
                  "directory was replaced during the scan; not followed");
    } else {
      walk_dir(fd, path, fst, dir_dev, depth);
    }
    ::close(fd);
  } else if (S_ISLNK(st.st_mode)) {
    visit_symlink(dfd, name, path);
  } else if (S_ISREG(st.st_mode)) {
    visit_file(dfd, name, path, st);
  } else {
    ++special_;  // FIFOs, sockets, devices: never opened, so they can neither block nor act
  }
}

void Walker::visit_symlink(int dfd, const std::string& name, const std::string& path) {
  ++links_;
  std::string target(4096, '\0');
  const ssize_t n = ::readlinkat(dfd, name.c_str(), target.data(), target.size());
  if (n < 0) {
    unreadable(path, errno);
    return;
  }
  target.resize(static_cast<std::size_t>(n));
  if (!target.empty() && target.front() != '/') {
    // A relative target climbing above "/" is re-rooted by RootFs; say so, since on the
    // running system it would point elsewhere only if the root were a chroot.
    int level = 0;
    for (std::size_t i = 1; i < path.size(); ++i) level += path[i] == '/' ? 1 : 0;
    std::size_t i = 0;
    while (i < target.size()) {
      std::size_t j = target.find('/', i);
      if (j == std::string::npos) j = target.size();
      const std::string_view part(target.data() + i, j - i);
      if (part == "..") {
        if (--level < 0) {
          diags_.info("walk.symlink_escape", core::printable_path(path),
                      "link target " + core::printable_path(target) +
                          " climbs above the root; resolved inside it");
          break;
        }
      } else if (!part.empty() && part != ".") {
        ++level;
      }
      i = j + 1;
    }
  }
  if (visitor_ != nullptr) visitor_->on_symlink(path, target);
}

void Walker::visit_file(int dfd, const std::string& name, const std::string& path,
                        const struct stat& st) {
  ++files_;
  if (static_cast<std::uint64_t>(st.st_size) > opts_.max_file_size) {
    ++too_large_;
    diags_.warn("walk.too_large", core::printable_path(path),
                "skipped: " + std::to_string(st.st_size) + " bytes is above the limit of " +
                    std::to_string(opts_.max_file_size));
    return;
  }
  if (opts_.before_open) opts_.before_open(path);
  const int fd = ::openat(dfd, name.c_str(), kFileFlags);
  if (fd < 0) {
    if (errno == ELOOP) {
      diags_.warn("walk.changed", core::printable_path(path),
                  "file was replaced by a symlink during the scan; not followed");
    } else if (errno == ENOENT) {
      diags_.info("walk.changed", core::printable_path(path),
                  "file was removed during the scan; not read");
    } else {
      unreadable(path, errno);
    }
    return;
  }
  Job job{path, fd, {}};
  if (::fstat(fd, &job.st) != 0 || !S_ISREG(job.st.st_mode)) {
    diags_.warn("walk.changed", core::printable_path(path),
                "file is no longer a regular file; not read");
    ::close(fd);
    return;
  }
  if (!queue_.push(std::move(job))) ::close(fd);
}

void Walker::worker() {
  while (auto job = queue_.pop()) {
    process(*job);
    ::close(job->fd);
  }
}

void Walker::process(Job& job) {
  char buf[kHeaderSize];
  ssize_t n = ::pread(job.fd, buf, sizeof buf, 0);
  if (n < 0) {
    unreadable(job.path, errno);
    return;
  }
  FileEntry e;
  e.path = std::move(job.path);
  e.fd = job.fd;
  e.st = job.st;
  e.header = std::string_view(buf, static_cast<std::size_t>(n));
  if (n >= 4 && std::memcmp(buf,
                            "\x7f"
                            "ELF",
                            4) == 0) {
    e.kind = FileKind::kElf;
    ++elf_;
  } else if (n >= 2 && buf[0] == '#' && buf[1] == '!') {
    e.kind = FileKind::kShebang;
  }
  e.owner = owners_ != nullptr ? owners_->owner(e.path) : nullptr;
  if (e.owner == nullptr) ++unpackaged_;
  if (visitor_ == nullptr) return;
  try {
    visitor_->on_file(e);
  } catch (const std::exception& ex) {
    // A visitor bug or resource failure on one file must not end the scan.
    diags_.error("walk.visitor", core::printable_path(e.path), ex.what());
  }
}

void Walker::draw_progress(bool final_line) {
  const auto secs = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
  std::fprintf(stderr, "\rscanning: %llu files, %llu ELF, %lld.%llds%s",
               static_cast<unsigned long long>(files_.load()),
               static_cast<unsigned long long>(elf_.load()), static_cast<long long>(secs / 1000),
               static_cast<long long>((secs % 1000) / 100), final_line ? "\n" : "");
  std::fflush(stderr);
}

void Walker::progress_loop() {
  std::unique_lock lock(progress_mu_);
  while (!done_) {
    progress_cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return done_; });
    draw_progress(done_);
  }
}

}  // namespace

bool is_pseudo_path(std::string_view root_path) {
  for (std::string_view dir : {"/proc", "/sys", "/dev", "/run"}) {
    if (has_prefix_dir(root_path, dir)) return true;
  }
  return false;
}

bool is_pseudo_fs_type(long f_type, std::string_view root_path) {
  switch (f_type) {
    case PROC_SUPER_MAGIC:
    case SYSFS_MAGIC:
    case DEVPTS_SUPER_MAGIC:
    case DEBUGFS_MAGIC:
    case SECURITYFS_MAGIC:
    case kCgroupMagic:
    case kCgroup2Magic:
    case kTracefsMagic:
    case kPstoreMagic:
    case kBpfMagic:
    case kConfigfsMagic:
    case kFusectlMagic:
    case kMqueueMagic:
    case kBinfmtMagic:
    case kSelinuxMagic:
    case kEfivarfsMagic:
    case kNsfsMagic:
    case kAutofsMagic:
    case kRpcPipefsMagic:
      return true;
    case TMPFS_MAGIC:
      // tmpfs holds runtime state under /run and /dev; elsewhere (an image unpacked in /tmp)
      // it may well be the root being scanned.
      return has_prefix_dir(root_path, "/run") || has_prefix_dir(root_path, "/dev");
    default:
      return false;
  }
}

facts::WalkSummary walk(const core::RootFs& root, const WalkOptions& options,
                        const OwnershipIndex* owners, FileVisitor* visitor,
                        core::Diagnostics& diags) {
  Walker w(root, options, owners, visitor, diags);
  return w.run();
}

}  // namespace premigrate::collect::files
