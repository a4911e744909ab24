// Helpers for walk tests: write small roots, record what a walk visited, and run a walk in a
// forked child (with a timeout, optionally with dropped privileges) when it could block.
#pragma once

#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "collect/files/walker.hpp"

namespace walk_test {

namespace fs = std::filesystem;

inline void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// Records every visited file with its full content (read through the walker's fd).
class Recorder : public premigrate::collect::files::FileVisitor {
 public:
  struct Seen {
    std::string content;
    premigrate::collect::files::FileKind kind;
    std::string owner;
  };
  void on_file(const premigrate::collect::files::FileEntry& e) override {
    std::string content;
    char buf[4096];
    off_t off = 0;
    for (;;) {
      const ssize_t n = ::pread(e.fd, buf, sizeof buf, off);
      if (n <= 0) break;
      content.append(buf, static_cast<std::size_t>(n));
      off += n;
    }
    std::lock_guard lock(mu_);
    files[e.path] = {content, e.kind, e.owner ? *e.owner : ""};
  }
  void on_symlink(const std::string& path, const std::string& target) override {
    std::lock_guard lock(mu_);
    links[path] = target;
  }
  std::map<std::string, Seen> files;
  std::map<std::string, std::string> links;

 private:
  std::mutex mu_;
};

// mount(2) at `target` for the scope of a test; unmounted (lazily) when it ends.
struct Mount {
  Mount(const fs::path& target, const char* source, const char* type, unsigned long flags,
        const char* data)
      : path(target),
        ok(::mount(source, target.c_str(), type, flags, data) == 0),
        error(ok ? "" : std::strerror(errno)) {}
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;
  ~Mount() {
    if (ok) ::umount2(path.c_str(), MNT_DETACH);
  }
  fs::path path;
  bool ok;
  std::string error;
};

struct ChildResult {
  bool exited = false;  // false: killed (e.g. by the timeout alarm)
  int status = -1;
  std::string output;
};

// Runs `body` in a forked child whose stdout goes back to the parent. The child is killed
// by SIGALRM after `timeout_s` seconds, so a walk that blocks fails the test instead of
// hanging it.
inline ChildResult run_in_child(const std::function<std::string()>& body, unsigned timeout_s) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    ::alarm(timeout_s);
    std::string out = body();
    const char* p = out.data();
    std::size_t left = out.size();
    while (left > 0) {
      const ssize_t n = ::write(fds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  ChildResult r;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
    r.output.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  r.exited = WIFEXITED(wstatus);
  r.status = r.exited ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus);
  return r;
}

}  // namespace walk_test
