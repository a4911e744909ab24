// Scratch directories for the scanner's own use, outside the scanned root, and their removal
// on every way out: destruction, a catchable signal, or (after SIGKILL) the next run.
#include "core/temp_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include "core/dir_stream.hpp"
#include "core/errors.hpp"

namespace premigrate::core {

namespace {

// Live scratch directories, readable from a signal handler: fixed storage, no allocation.
constexpr int kSlots = 16;
struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being written, 2 live
  char path[4096];
};
Slot g_slots[kSlots];

std::string scratch_base() {
  const char* base = std::getenv("TMPDIR");
  return base && *base ? base : "/tmp";
}

// Removes what is below the directory fd, subdirectories too (an image flattened by
// analyzer/image is a tree), with async-signal-safe system calls only (openat, getdents64,
// unlinkat, lseek, close). Deeper than kMaxRemoveDepth is left for the next run's reap_stale.
constexpr int kMaxRemoveDepth = 48;
void remove_below(int fd, int depth) {
  alignas(8) char buf[2048];
  for (bool removed = true; removed;) {  // entries removed during a listing may hide others
    removed = false;
    if (::lseek(fd, 0, SEEK_SET) != 0) return;
    for (;;) {
      const long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
      if (n <= 0) break;
      for (long off = 0; off < n;) {
        const auto* d = reinterpret_cast<const dirent64*>(buf + off);
        const char* name = d->d_name;
        off += d->d_reclen;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
        if (::unlinkat(fd, name, 0) == 0) {
          removed = true;
          continue;
        }
        if (errno != EISDIR || depth >= kMaxRemoveDepth) continue;
        const Fd sub(::openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!sub.valid()) continue;
        remove_below(sub.get(), depth + 1);
        if (::unlinkat(fd, name, AT_REMOVEDIR) == 0) removed = true;
      }
    }
  }
}

// Removes a scratch directory and everything in it.
void remove_scratch_dir(const char* path) {
  const Fd dir(::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (dir.valid()) remove_below(dir.get(), 0);
  (void)::rmdir(path);
}

void on_signal(int sig) {
  for (auto& s : g_slots)
    if (s.state.load() == 2) remove_scratch_dir(s.path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// premigrate.<pid>.XXXXXX directories whose process is gone (a SIGKILL'd scan).
void reap_stale(const std::string& base) {
  const DirStream dir(::opendir(base.c_str()));
  if (dir == nullptr) return;
  DIR* d = dir.get();
  const std::string prefix = "premigrate.";
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.rfind(prefix, 0) != 0) continue;
    const auto dot = name.find('.', prefix.size());
    if (dot == std::string::npos) continue;
    const std::string pid_text = name.substr(prefix.size(), dot - prefix.size());
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos ||
        pid_text.size() > 9)
      continue;
    const auto pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    struct stat st {};
    std::string path = base;
    path.append("/").append(name);
    if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid())
      continue;
    remove_scratch_dir(path.c_str());
  }
}

}  // namespace

TempDir::TempDir() {
  const std::string base = scratch_base();
  std::string tmpl = base + "/premigrate." + std::to_string(::getpid()) + ".XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    throw RunError("cannot create a scratch directory under " + base + ": " + std::strerror(errno));
  }
  path_ = tmpl;
  fd_ = Fd(::open(tmpl.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd_.valid()) {
    const int err = errno;
    ::rmdir(tmpl.c_str());
    throw RunError("cannot open the scratch directory " + tmpl + ": " + std::strerror(err));
  }
  if (tmpl.size() < sizeof g_slots[0].path) {
    for (int i = 0; i < kSlots; ++i) {
      int expected = 0;
      if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
        std::memcpy(g_slots[i].path, tmpl.c_str(), tmpl.size() + 1);
        g_slots[i].state.store(2);
        slot_ = i;
        break;
      }
    }
  }
}

TempDir::~TempDir() {
  if (slot_ >= 0) g_slots[slot_].state.store(0);
  fd_ = Fd();
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void install_cleanup_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    struct sigaction old {};
    // A signal the caller ignores (nohup) stays ignored.
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &sa, nullptr);
  }
  reap_stale(scratch_base());
}

}  // namespace premigrate::core
