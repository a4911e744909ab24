// The parent side of a disk image scan: preflight of the appliance, the child process and its
// time budget (launch, then the whole read), the force_tcg retry, and the tar stream applied
// into the image root (image/layer_apply.hpp).
#include "image/disk_image.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "image/guest_child.hpp"
#include "image/layer_apply.hpp"

namespace premigrate::image {

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kInstall = "apt-get install libguestfs-tools linux-image-amd64";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

bool executable_in_path(const std::string& name) {
  std::string path = env("PATH");
  if (path.empty()) path = "/usr/bin:/bin";
  std::size_t start = 0;
  for (;;) {
    const auto colon = path.find(':', start);
    const std::string dir = path.substr(start, colon - start);
    std::string file = dir;
    file += '/';
    file += name;
    if (!dir.empty() && ::access(file.c_str(), X_OK) == 0) return true;
    if (colon == std::string::npos) return false;
    start = colon + 1;
  }
}

// A readable kernel: supermin copies it into the appliance (Debian's are 0644; Ubuntu's 0600).
bool boot_has_kernel() {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/boot", ec)) {
    const std::string name = e.path().filename().string();
    if ((name.rfind("vmlinuz-", 0) == 0 || name.rfind("vmlinux-", 0) == 0) &&
        ::access(e.path().c_str(), R_OK) == 0)
      return true;
  }
  return false;
}

// Why the appliance cannot start on this machine, "" when it may: the supermin appliance needs
// supermin, a readable host kernel and qemu (guestfs(3), "BACKEND"; supermin(1)). A fixed
// appliance (LIBGUESTFS_PATH) or a kernel named by SUPERMIN_KERNEL is taken as given.
std::string appliance_missing() {
  if (env("LIBGUESTFS_PATH").empty()) {
    if (!executable_in_path("supermin")) return "supermin is not installed";
    if (env("SUPERMIN_KERNEL").empty() && !boot_has_kernel())
      return "there is no readable Linux kernel in /boot for its appliance";
  }
  if (env("LIBGUESTFS_HV").empty()) {
    utsname u{};
    const std::string machine = ::uname(&u) == 0 ? u.machine : "x86_64";
    const std::string qemu = "qemu-system-" + std::string(machine == "ppc64le" ? "ppc64" : machine);
    if (!executable_in_path(qemu)) return qemu + " is not installed";
  }
  return {};
}

// Kills the child's process group when the launch budget (until `launched`) or the whole
// budget runs out.
class Watchdog {
 public:
  Watchdog(pid_t pgid, Clock::time_point launch_by, Clock::time_point done_by)
      : pgid_(pgid), launch_by_(launch_by), done_by_(done_by), thread_([this] { run(); }) {}
  ~Watchdog() {
    {
      const std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  void launched() {
    {
      const std::lock_guard<std::mutex> lock(mu_);
      launched_ = true;
    }
    cv_.notify_all();
  }
  // "" or "launch" / "total": which budget ran out.
  [[nodiscard]] std::string fired() const {
    return fired_.load() == 0 ? "" : fired_ == 1 ? "launch" : "total";
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      const auto by = launched_ ? done_by_ : std::min(launch_by_, done_by_);
      if (cv_.wait_until(lock, by, [&] { return stop_; })) return;
      if (Clock::now() < (launched_ ? done_by_ : std::min(launch_by_, done_by_))) continue;
      fired_ = launched_ || done_by_ <= launch_by_ ? 2 : 1;
      (void)::kill(-pgid_, SIGKILL);
      (void)::kill(pgid_, SIGKILL);
      return;
    }
  }

  pid_t pgid_;
  Clock::time_point launch_by_;
  Clock::time_point done_by_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool launched_ = false;
  std::atomic<int> fired_{0};
  std::thread thread_;
};

// One JSON event a line from the child's status pipe; a null json at the end of the stream.
class EventReader {
 public:
  explicit EventReader(int fd) : fd_(fd) {}
  nlohmann::json next() {
    for (;;) {
      const auto nl = buf_.find('\n');
      if (nl != std::string::npos) {
        auto j = nlohmann::json::parse(buf_.substr(0, nl), nullptr, false);
        buf_.erase(0, nl + 1);
        if (j.is_object()) return j;
        continue;
      }
      char chunk[4096];
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return nullptr;
      buf_.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  std::string buf_;
};

struct Attempt {
  bool launched = false;
  bool done = false;
  bool limited = false;  // the member limit stopped the copy (a diagnostic says so)
  std::string timeout;   // "launch" / "total" when the watchdog stopped it
  std::string stage;     // of the child's error event
  std::string error;
  std::map<std::string, std::string> os;  // the "os" event's fields: root, product, distro, ...
  std::vector<std::string> oses;
};

struct Pipe {
  core::Fd read;
  core::Fd write;
};
Pipe make_pipe() {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw core::RunError(std::string("cannot create a pipe: ") + std::strerror(errno));
  return {core::Fd(fds[0]), core::Fd(fds[1])};
}

std::string str_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void drain(int fd) {
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
  }
}

Attempt run_attempt(const GuestRequest& req, Clock::time_point launch_by, Clock::time_point done_by,
                    const LayerContext& ctx) {
  auto status = make_pipe();
  auto data = make_pipe();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw core::RunError(std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Not the parent's cleanup handlers (core/temp_dir): the scratch directory is the parent's.
    for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) (void)::signal(sig, SIG_DFL);
    (void)::signal(SIGPIPE, SIG_IGN);  // a closed stream is an error event, not a silent death
    (void)::setpgid(0, 0);
    // The child and its appliance go with the parent, whatever ends it (a signal included).
    (void)::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    status.read = core::Fd();
    data.read = core::Fd();
    ::_exit(run_guest_child(req, status.write.get(), data.write.get()));
  }
  (void)::setpgid(pid, pid);  // as the child does: whichever runs first
  status.write = core::Fd();
  data.write = core::Fd();
  Attempt at;
  {
    Watchdog dog(pid, launch_by, done_by);
    EventReader events(status.read.get());
    for (auto ev = events.next(); !ev.is_null(); ev = events.next()) {
      const std::string kind = str_of(ev, "event");
      if (kind == "launched") {
        at.launched = true;
        dog.launched();
      } else if (kind == "os") {
        for (const char* key : {"root", "product", "distro", "version", "arch"})
          at.os[key] = core::printable_text(str_of(ev, key));
      } else if (kind == "warn") {
        ctx.diags->warn("image.disk_mount", "/", core::printable_text(str_of(ev, "message")),
                        ctx.label);
      } else if (kind == "extracting") {
        at.limited = !apply_tar_stream(data.read.get(), ctx);
        // What follows the tar's end (its record padding) is read to the end of the stream, so
        // that the child's last writes succeed; after the member limit it is not read, and the
        // child's write fails (EPIPE) instead of waiting for the budget to run out.
        if (!at.limited) drain(data.read.get());
        data.read = core::Fd();
      } else if (kind == "done") {
        at.done = true;
      } else if (kind == "error") {
        at.stage = str_of(ev, "stage");
        at.error = str_of(ev, "message");
        if (ev.contains("oses") && ev["oses"].is_array())
          for (const auto& o : ev["oses"])
            if (o.is_string()) at.oses.push_back(o.get<std::string>());
      }
    }
    at.timeout = dog.fired();
  }
  (void)::kill(-pid, SIGKILL);  // nothing of it may outlive the read (a hung qemu included)
  int ws = 0;
  while (::waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
  }
  // A reader that died on its own (a crash inside libguestfs, say) is named, not left as an
  // empty reason; our SIGKILL above only reaches a child that was still running.
  if (at.error.empty() && !at.done && WIFSIGNALED(ws) && WTERMSIG(ws) != SIGKILL)
    at.error = std::string("the reader process died of signal ") + std::to_string(WTERMSIG(ws)) +
               " (" + ::strsignal(WTERMSIG(ws)) + ")";
  else if (at.error.empty() && !at.done && WIFEXITED(ws) && WEXITSTATUS(ws) != 0)
    at.error = "the reader process ended with exit status " + std::to_string(WEXITSTATUS(ws));
  return at;
}

std::string seconds(Clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

}  // namespace

bool disk_images_supported() { return true; }

void read_disk_image(const ImageSpec& ref, const DiskProbe& probe, const ImageLimits& limits,
                     MaterializedImage& img, core::Diagnostics& diags) {
  const std::string shown = core::printable_text(ref.path);
  if (!probe.invalid.empty())
    throw core::RunError("disk image " + shown + " is no valid " + probe.kind +
                         " image: " + probe.invalid);
  if (!probe.backing.empty())
    throw core::RunError("disk image " + shown + " depends on " + probe.backing +
                         ": refused, since reading it would open another file of this host; "
                         "convert it to a self-contained image first (qemu-img convert -O qcow2 " +
                         shown + " copy.qcow2)");
  if (const auto why = appliance_missing(); !why.empty())
    throw core::RunError("cannot read disk image " + shown +
                             ": libguestfs cannot start its appliance here: " + why + " (" +
                             kInstall + ")",
                         core::ExitCode::kNoDiskReader);

  const int scratch = img.scratch().fd();
  if (::mkdirat(scratch, "rootfs", 0755) != 0)
    throw core::RunError(std::string("cannot create the image root: ") + std::strerror(errno));
  const core::Fd root(::openat(scratch, "rootfs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  WriteBudget budget;
  const LayerContext ctx{root.get(), &limits, &budget, &diags, "disk image " + shown};

  GuestRequest req{ref.path, probe.format, ref.selector, img.scratch().path().string(), false};
  const auto start = Clock::now();
  const auto done_by = start + std::chrono::seconds(limits.disk_timeout_s);
  const bool user_settings = !env("LIBGUESTFS_BACKEND_SETTINGS").empty();
  // With the backend settings the user chose, one attempt has the whole budget; otherwise the
  // default backend (KVM where /dev/kvm is usable) gets the launch budget and TCG the rest.
  auto launch_by =
      user_settings ? done_by : start + std::chrono::seconds(limits.disk_launch_timeout_s);
  auto at = run_attempt(req, launch_by, done_by, ctx);
  if (at.stage == "load")
    throw core::RunError("cannot read disk image " + shown + ": " + core::printable_text(at.error) +
                             " (" + kInstall + ")",
                         core::ExitCode::kNoDiskReader);
  if (!at.launched && !user_settings && Clock::now() < done_by) {
    diags.info("image.disk_backend", "/",
               "the libguestfs appliance did not start with the default backend (" +
                   (at.timeout.empty() ? core::printable_text(at.error)
                                       : "no answer within " + seconds(launch_by - start)) +
                   "); retried with LIBGUESTFS_BACKEND_SETTINGS=force_tcg (software emulation)",
               ctx.label);
    req.force_tcg = true;
    at = run_attempt(req, done_by, done_by, ctx);
  }

  if (!at.launched)
    throw core::RunError(
        "cannot read disk image " + shown + ": the libguestfs appliance did not start (" +
            (at.timeout.empty()
                 ? core::printable_text(at.error)
                 : "no answer within " + seconds(done_by - start) + ", --image-timeout") +
            "); `libguestfs-test-tool` shows why (" + kInstall + ")",
        core::ExitCode::kNoDiskReader);
  if (at.stage == "inspect")
    throw core::RunError("no operating system found on disk image " + shown +
                         " (libguestfs inspection: " + core::printable_text(at.error) + ")");
  if (at.stage == "select") {
    std::string list;
    for (const auto& o : at.oses) list += "\n  " + shown + "@" + core::printable_text(o);
    throw core::UsageError("disk image " + shown +
                           (ref.selector.empty()
                                ? " holds several operating systems; choose one by its root device:"
                                : " has no operating system with the root device " +
                                      core::printable_text(ref.selector) + "; it has:") +
                           list);
  }
  if (!at.timeout.empty())
    throw core::RunError("disk image " + shown + " was not read within " +
                         seconds(done_by - start) +
                         " (--image-timeout); the scan would be "
                         "incomplete, so there is none");
  if (!at.done && !at.limited)
    throw core::RunError(
        "cannot read disk image " + shown + ": " +
        (at.error.empty() ? "the libguestfs child ended early" : core::printable_text(at.error)));

  auto& info = img.mutable_info();
  info.path = ref.path;
  info.format = probe.format == "vpc" ? "vhd" : probe.format;
  info.name = at.os["product"];
  info.architecture = at.os["arch"];
  info.distro = at.os["distro"];
  info.os_version = at.os["version"];
  info.root_device = at.os["root"];
}

}  // namespace premigrate::image
