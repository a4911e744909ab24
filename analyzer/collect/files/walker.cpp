// Walk implementation. Confinement comes from the traversal itself: every directory is opened
// with openat(parent_fd, name, O_NOFOLLOW|O_DIRECTORY), so a directory swapped for a symlink
// mid-scan fails to open instead of redirecting the walk outside the root.
#include "collect/files/walker.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "collect/files/bounded_queue.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"

namespace premigrate::collect::files {

namespace {

constexpr int kMaxDepth = 256;  // deeper trees are hostile; each level holds one open fd
constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// O_NONBLOCK: a regular file swapped for a FIFO between listing and open cannot block us.
constexpr int kFileFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;

std::string child_path(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

// An open directory that queued files are opened from; closed when the last job naming it is
// done, so a worker opens the file with openat(dir, name, O_NOFOLLOW) as the producer would.
struct DirRef {
  explicit DirRef(core::Fd f) : fd(std::move(f)) {}
  core::Fd fd;
};
using Dir = std::shared_ptr<const DirRef>;

// A regular file for a worker to open, sniff and hand to the visitor. The producer only lists
// directories; the per-file system calls (open, fstat, read, close) run on the workers.
struct Job {
  Dir dir;
  std::string path;  // root-relative; the name to open is what follows the last '/'
};

// Files go to the workers in batches: one queue hand-over (lock, and a futex wake when a worker
// sleeps) per kBatch files instead of per file. At most kMaxInFlight files are queued or being
// processed at once, whatever the number of workers, so the directories they keep open are
// bounded too: open descriptors <= kMaxInFlight (directories of queued files) + the walk's
// depth (kMaxDepth) + one file per worker.
constexpr std::size_t kBatch = 16;
constexpr std::size_t kMaxInFlight = 256;
constexpr std::size_t kQueueBatches = kMaxInFlight / kBatch;
using Batch = std::vector<Job>;

class Walker {
 public:
  Walker(const core::RootFs& root, const WalkOptions& opts, const OwnershipIndex* owners,
         FileVisitor* visitor, core::Diagnostics& diags)
      : root_(root),
        opts_(opts),
        owners_(owners),
        visitor_(visitor),
        diags_(diags),
        queue_(kQueueBatches) {}

  facts::WalkSummary run();

 private:
  void walk_start(int root_fd, const std::string& start);
  void walk_dir(const Dir& dir, const std::string& path, const struct stat& st, dev_t parent_dev,
                int depth);
  void visit_entry(const Dir& dir, const std::string& dir_path, const std::string& name,
                   unsigned char d_type, dev_t dir_dev, int depth);
  void visit_file(const Dir& dir, std::string path);
  void visit_symlink(int dfd, const std::string& name, const std::string& path);
  void worker();
  void flush_batch();
  void open_and_process(Job& job);
  void process(FileEntry& e, char (&buf)[kHeaderSize]);
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
  BoundedQueue<Batch> queue_;
  Batch pending_;                          // producer thread only
  std::vector<char> dents_;                // producer thread only: the getdents64 buffer
  std::atomic<std::size_t> in_flight_{0};  // files handed over (pending, queued or in process)
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
  // A readable descriptor of the root directory, reopened from the root's own O_PATH one.
  core::Fd root_dir(::openat(root_.root_fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root_dir.valid()) {
    unreadable("/", errno);
  } else {
    const int root_fd = root_dir.get();
    struct stat st {};
    if (::fstat(root_fd, &st) == 0) root_dev_ = st.st_dev;
    unsigned n = opts_.jobs != 0 ? opts_.jobs : std::thread::hardware_concurrency();
    if (n == 0) n = 1;
    std::vector<std::thread> workers;
    workers.reserve(n);
    std::thread progress;
    // On every way out (an exception from the walk, a thread that could not be started) the
    // queue is closed and the threads joined before they are destroyed.
    struct Joiner {
      Walker& w;
      std::vector<std::thread>& workers;
      std::thread& progress;
      ~Joiner() {
        w.queue_.close();
        for (auto& t : workers)
          if (t.joinable()) t.join();
        {
          std::lock_guard lock(w.progress_mu_);
          w.done_ = true;
        }
        w.progress_cv_.notify_all();
        if (progress.joinable()) progress.join();
      }
    } joiner{*this, workers, progress};
    try {
      for (unsigned i = 0; i < n; ++i) workers.emplace_back([this] { worker(); });
    } catch (const std::system_error& e) {
      if (workers.empty()) {
        throw core::RunError(std::string("cannot start the walk's worker threads: ") + e.what());
      }
    }
    if (opts_.progress) {
      try {
        progress = std::thread([this] { progress_loop(); });
      } catch (const std::system_error&) {  // no progress line then
      }
    }

    std::vector<std::string> starts;
    for (const auto& p : opts_.paths) starts.push_back(p);
    if (starts.empty()) starts.emplace_back("/");
    for (const auto& s : starts) walk_start(root_fd, s);
    root_dir = core::Fd();
    flush_batch();
  }  // joiner: the queue is closed, the workers finish what it holds, the progress line ends
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
  // A descriptor of its own (not a dup sharing root_fd's offset): the root is listed from it.
  core::Fd fd(::openat(root_fd, ".", kDirFlags));
  if (!fd.valid()) {
    unreadable(canon, errno);
    return;
  }
  std::string dir_path = "/";
  std::size_t i = 1;
  while (i <= canon.size() && canon != "/") {
    std::size_t j = canon.find('/', i);
    if (j == std::string::npos) j = canon.size();
    const std::string name = canon.substr(i, j - i);
    const bool last = j == canon.size();
    if (last) {
      visit_entry(std::make_shared<const DirRef>(std::move(fd)), dir_path, name, DT_UNKNOWN,
                  root_dev_, 1);
      return;
    }
    core::Fd next(::openat(fd.get(), name.c_str(), kDirFlags));
    const int err = errno;
    dir_path = child_path(dir_path, name);
    if (!next.valid()) {
      unreadable(dir_path, err);
      return;
    }
    fd = std::move(next);
    i = j + 1;
  }
  const auto dir = std::make_shared<const DirRef>(std::move(fd));
  struct stat st {};
  if (::fstat(dir->fd.get(), &st) != 0) {
    unreadable("/", errno);
  } else {
    walk_dir(dir, "/", st, st.st_dev, 0);
  }
}

void Walker::walk_dir(const Dir& dir, const std::string& path, const struct stat& st,
                      dev_t parent_dev, int depth) {
  const int dfd = dir->fd.get();
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
  // Listed with getdents64 on the directory's own descriptor (opened for this walk, so its
  // offset is ours): no dup/fdopendir/closedir round of system calls per directory. An entry
  // whose d_type says regular file is lstat'ed by the worker that opens it, not here.
  std::vector<std::pair<std::string, unsigned char>> entries;
  if (dents_.empty()) dents_.resize(std::size_t{64} * 1024);
  for (;;) {
    const ssize_t n = ::getdents64(dfd, dents_.data(), dents_.size());
    if (n < 0) {
      unreadable(path, errno);
      break;
    }
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      const auto* e = reinterpret_cast<const struct dirent64*>(dents_.data() + off);
      if (e->d_reclen == 0) break;  // never from a kernel; do not spin on it
      off += e->d_reclen;
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      entries.emplace_back(e->d_name, e->d_type);
    }
  }
  // Sorted so that traversal, and therefore which of two bind-mounted paths wins, is stable.
  std::sort(entries.begin(), entries.end());
  for (const auto& [name, type] : entries) visit_entry(dir, path, name, type, st.st_dev, depth + 1);
}

void Walker::visit_entry(const Dir& dir, const std::string& dir_path, const std::string& name,
                         unsigned char d_type, dev_t dir_dev, int depth) {
  std::string path = child_path(dir_path, name);
  if (d_type == DT_REG) {
    if (!excluded(path)) visit_file(dir, std::move(path));
    return;
  }
  const int dfd = dir->fd.get();
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
    if (root_.is_host_root() && is_pseudo_path(path)) {
      ++dirs_;
      skip_subtree(path, "pseudo file system");
      return;
    }
    if (opts_.before_open) opts_.before_open(path);
    core::Fd opened(::openat(dfd, name.c_str(), kDirFlags));
    if (!opened.valid()) {
      if (errno == ELOOP || errno == ENOTDIR) {
        diags_.warn("walk.changed", core::printable_path(path),
                    "directory was replaced during the scan; not followed");
      } else {
        unreadable(path, errno);
      }
      return;
    }
    const int fd = opened.get();
    const auto sub = std::make_shared<const DirRef>(std::move(opened));
    struct stat fst {};
    if (::fstat(fd, &fst) != 0 || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
      diags_.warn("walk.changed", core::printable_path(path),
                  "directory was replaced during the scan; not followed");
    } else {
      walk_dir(sub, path, fst, dir_dev, depth);
    }
  } else if (S_ISLNK(st.st_mode)) {
    visit_symlink(dfd, name, path);
  } else if (S_ISREG(st.st_mode)) {
    visit_file(dir, std::move(path));
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

void Walker::visit_file(const Dir& dir, std::string path) {
  ++files_;
  for (auto n = in_flight_.load(); n >= kMaxInFlight; n = in_flight_.load()) {
    flush_batch();  // the workers can only bring the count down for files they have
    in_flight_.wait(n);
  }
  ++in_flight_;
  pending_.push_back(Job{dir, std::move(path)});
  if (pending_.size() >= kBatch) flush_batch();
}

void Walker::flush_batch() {
  if (pending_.empty()) return;
  Batch batch;
  batch.reserve(kBatch);
  batch.swap(pending_);
  (void)queue_.push(batch);  // false only after close(), which follows the last push
}

void Walker::worker() {
  while (auto batch = queue_.pop()) {
    for (auto& job : *batch) {
      try {
        open_and_process(job);
      } catch (const std::exception& ex) {  // one file's failure must not end the scan
        diags_.error("walk.visitor", core::printable_path(job.path), ex.what());
      }
      job.dir.reset();
      if (in_flight_.fetch_sub(1) == kMaxInFlight) in_flight_.notify_one();
    }
  }
}

// On a worker: the entry is lstat'ed again right before it is opened, and opened only if it is
// a regular file (d_type comes from the directory, so it misses a device bind-mounted over
// the name, and the entry may have changed since it was listed); the open is O_NOFOLLOW and
// O_NONBLOCK and the type is checked again on the descriptor, so a symlink, FIFO or device is
// never read; a file over the size limit is not read either.
void Walker::open_and_process(Job& job) {
  const std::string name = job.path.substr(job.path.rfind('/') + 1);
  struct stat lst {};
  if (::fstatat(job.dir->fd.get(), name.c_str(), &lst, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) {
      diags_.info("walk.changed", core::printable_path(job.path),
                  "file was removed during the scan; not read");
    } else {
      unreadable(job.path, errno);
    }
    return;
  }
  if (S_ISLNK(lst.st_mode)) {
    diags_.warn("walk.changed", core::printable_path(job.path),
                "file was replaced by a symlink during the scan; not followed");
    return;
  }
  if (!S_ISREG(lst.st_mode)) {
    --files_;    // listed as a regular file, but it is not one (now)
    ++special_;  // e.g. a device bind-mounted over a file's name: never opened
    return;
  }
  if (opts_.before_open) opts_.before_open(job.path);
  const core::Fd file(::openat(job.dir->fd.get(), name.c_str(), kFileFlags));
  job.dir.reset();
  if (!file.valid()) {
    if (errno == ELOOP) {
      diags_.warn("walk.changed", core::printable_path(job.path),
                  "file was replaced by a symlink during the scan; not followed");
    } else if (errno == ENOENT) {
      diags_.info("walk.changed", core::printable_path(job.path),
                  "file was removed during the scan; not read");
    } else {
      unreadable(job.path, errno);
    }
    return;
  }
  FileEntry e;
  e.fd = file.get();
  if (::fstat(e.fd, &e.st) != 0 || !S_ISREG(e.st.st_mode)) {
    diags_.warn("walk.changed", core::printable_path(job.path),
                "file is no longer a regular file; not read");
  } else if (static_cast<std::uint64_t>(e.st.st_size) > opts_.max_file_size) {
    ++too_large_;
    diags_.warn("walk.too_large", core::printable_path(job.path),
                "skipped: " + std::to_string(e.st.st_size) + " bytes is above the limit of " +
                    std::to_string(opts_.max_file_size));
  } else {
    e.path = std::move(job.path);
    char buf[kHeaderSize];
    process(e, buf);
  }
}

void Walker::process(FileEntry& e, char (&buf)[kHeaderSize]) {
  const ssize_t n = ::pread(e.fd, buf, sizeof buf, 0);
  if (n < 0) {
    unreadable(e.path, errno);
    return;
  }
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

facts::WalkSummary walk(const core::RootFs& root, const WalkOptions& options,
                        const OwnershipIndex* owners, FileVisitor* visitor,
                        core::Diagnostics& diags) {
  Walker w(root, options, owners, visitor, diags);
  return w.run();
}

}  // namespace premigrate::collect::files
