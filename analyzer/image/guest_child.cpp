// libguestfs calls of the disk-image child (guestfs(3): inspection, mount_ro, tar_out). The
// library is loaded here, in the child, with dlopen: the binary does not depend on it (nor on its
// 59 shared libraries, libvirt among them), so a host without it still runs every other scan.
#include "image/guest_child.hpp"

#include <dlfcn.h>
#include <guestfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

namespace premigrate::image {

namespace {

// The libguestfs entry points used, resolved from libguestfs.so.0 (the soname of every release
// since 1.0: the ABI is stable, guestfs(3) "ABI GUARANTEE").
struct Api {
  decltype(&::guestfs_create) create = nullptr;
  decltype(&::guestfs_close) close = nullptr;
  decltype(&::guestfs_set_error_handler) set_error_handler = nullptr;
  decltype(&::guestfs_last_error) last_error = nullptr;
  decltype(&::guestfs_set_tmpdir) set_tmpdir = nullptr;
  decltype(&::guestfs_add_drive_opts_argv) add_drive = nullptr;
  decltype(&::guestfs_launch) launch = nullptr;
  decltype(&::guestfs_inspect_os) inspect_os = nullptr;
  decltype(&::guestfs_inspect_get_major_version) major_version = nullptr;
  decltype(&::guestfs_inspect_get_minor_version) minor_version = nullptr;
  decltype(&::guestfs_inspect_get_product_name) product_name = nullptr;
  decltype(&::guestfs_inspect_get_distro) distro = nullptr;
  decltype(&::guestfs_inspect_get_arch) arch = nullptr;
  decltype(&::guestfs_inspect_get_mountpoints) mountpoints = nullptr;
  decltype(&::guestfs_mount_ro) mount_ro = nullptr;
  decltype(&::guestfs_tar_out_opts_argv) tar_out = nullptr;
  decltype(&::guestfs_umount_all) umount_all = nullptr;
  decltype(&::guestfs_shutdown) shutdown = nullptr;
};

template <typename F>
bool resolve(void* lib, const char* name, F& fn, std::string& missing) {
  fn = reinterpret_cast<F>(::dlsym(lib, name));  // NOLINT: dlsym's documented use
  if (fn == nullptr) missing += std::string(missing.empty() ? "" : ", ") + name;
  return fn != nullptr;
}

// "" with every entry point resolved, or why not. The library stays loaded until the child ends.
std::string load_api(Api& api) {
  void* lib = ::dlopen("libguestfs.so.0", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* e = ::dlerror();
    return std::string("libguestfs is not installed (") + (e != nullptr ? e : "dlopen failed") +
           ")";
  }
  std::string missing;
  resolve(lib, "guestfs_create", api.create, missing);
  resolve(lib, "guestfs_close", api.close, missing);
  resolve(lib, "guestfs_set_error_handler", api.set_error_handler, missing);
  resolve(lib, "guestfs_last_error", api.last_error, missing);
  resolve(lib, "guestfs_set_tmpdir", api.set_tmpdir, missing);
  resolve(lib, "guestfs_add_drive_opts_argv", api.add_drive, missing);
  resolve(lib, "guestfs_launch", api.launch, missing);
  resolve(lib, "guestfs_inspect_os", api.inspect_os, missing);
  resolve(lib, "guestfs_inspect_get_major_version", api.major_version, missing);
  resolve(lib, "guestfs_inspect_get_minor_version", api.minor_version, missing);
  resolve(lib, "guestfs_inspect_get_product_name", api.product_name, missing);
  resolve(lib, "guestfs_inspect_get_distro", api.distro, missing);
  resolve(lib, "guestfs_inspect_get_arch", api.arch, missing);
  resolve(lib, "guestfs_inspect_get_mountpoints", api.mountpoints, missing);
  resolve(lib, "guestfs_mount_ro", api.mount_ro, missing);
  resolve(lib, "guestfs_tar_out_opts_argv", api.tar_out, missing);
  resolve(lib, "guestfs_umount_all", api.umount_all, missing);
  resolve(lib, "guestfs_shutdown", api.shutdown, missing);
  return missing.empty() ? "" : "libguestfs.so.0 lacks " + missing;
}

// A NULL-terminated string list from libguestfs, copied and freed.
std::vector<std::string> take_list(char** list) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  for (char** p = list; *p != nullptr; ++p) {
    out.emplace_back(*p);
    std::free(*p);  // NOLINT(cppcoreguidelines-no-malloc): libguestfs allocates with malloc
  }
  std::free(list);  // NOLINT(cppcoreguidelines-no-malloc)
  return out;
}

std::string take_string(char* s) {
  if (s == nullptr) return {};
  std::string out(s);
  std::free(s);  // NOLINT(cppcoreguidelines-no-malloc)
  return out;
}

class Reporter {
 public:
  explicit Reporter(int fd) : fd_(fd) {}
  void send(const nlohmann::json& event) const {
    // Guest strings are arbitrary bytes: replace what is not UTF-8 rather than throw.
    const std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string all = line + "\n";
    const char* p = all.data();
    std::size_t left = all.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  int fail(const char* stage, const std::string& message) const {
    send({{"event", "error"}, {"stage", stage}, {"message", message}});
    return 1;
  }

 private:
  int fd_;
};

std::string last_error(const Api& api, guestfs_h* g) {
  const char* e = api.last_error(g);
  return e != nullptr ? e : "unknown libguestfs error";
}

}  // namespace

int run_guest_child(const GuestRequest& req, int status_fd, int data_fd) {
  const Reporter out(status_fd);
  Api api;
  if (const auto why = load_api(api); !why.empty()) return out.fail("load", why);
  if (req.force_tcg) ::setenv("LIBGUESTFS_BACKEND_SETTINGS", "force_tcg", 1);
  const auto close = [&api](guestfs_h* h) { api.close(h); };
  const std::unique_ptr<guestfs_h, decltype(close)> handle(api.create(), close);
  guestfs_h* g = handle.get();
  if (g == nullptr) return out.fail("launch", "cannot create a libguestfs handle");
  api.set_error_handler(g, nullptr, nullptr);  // errors go to the parent, as events
  if (!req.tmpdir.empty() && api.set_tmpdir(g, req.tmpdir.c_str()) != 0)
    return out.fail("launch", last_error(api, g));
  struct guestfs_add_drive_opts_argv drive {};
  drive.bitmask = GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK;
  drive.readonly = 1;
  if (!req.format.empty()) {
    drive.bitmask |= GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK;
    drive.format = req.format.c_str();
  }
  if (api.add_drive(g, req.path.c_str(), &drive) != 0)
    return out.fail("launch", last_error(api, g));
  if (api.launch(g) != 0) return out.fail("launch", last_error(api, g));
  out.send({{"event", "launched"}});

  char** found = api.inspect_os(g);
  if (found == nullptr) return out.fail("inspect", last_error(api, g));
  const auto roots = take_list(found);
  if (roots.empty()) return out.fail("inspect", "no root file system of a known OS on the disk");
  std::string root;
  if (!req.selector.empty()) {
    if (std::find(roots.begin(), roots.end(), req.selector) != roots.end()) root = req.selector;
  } else if (roots.size() == 1) {
    root = roots.front();
  }
  if (root.empty()) {
    out.send({{"event", "error"}, {"stage", "select"}, {"oses", roots}, {"message", ""}});
    return 1;
  }
  const char* r = root.c_str();
  out.send({{"event", "os"},
            {"root", root},
            {"oses", roots},
            {"product", take_string(api.product_name(g, r))},
            {"distro", take_string(api.distro(g, r))},
            {"version", std::to_string(api.major_version(g, r)) + "." +
                            std::to_string(api.minor_version(g, r))},
            {"arch", take_string(api.arch(g, r))}});

  // Mount points as pairs (mount point, device); parents first, so that "/" comes before "/usr".
  const auto flat = take_list(api.mountpoints(g, r));
  std::vector<std::pair<std::string, std::string>> mounts;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) mounts.emplace_back(flat[i], flat[i + 1]);
  std::stable_sort(mounts.begin(), mounts.end(),
                   [](const auto& a, const auto& b) { return a.first.size() < b.first.size(); });
  for (const auto& [mp, dev] : mounts) {
    if (api.mount_ro(g, dev.c_str(), mp.c_str()) != 0) {
      if (mp == "/")
        return out.fail("extract", "cannot mount the root file system " + dev +
                                       " read-only: " + last_error(api, g));
      std::string message = "cannot mount " + dev;
      message += " on " + mp;
      message += " read-only (" + last_error(api, g);
      message += "); its files are missing from the scan";
      out.send({{"event", "warn"}, {"message", message}});
    }
  }
  // The contents of the pseudo file systems' mount points are not the guest's (an image may
  // still hold files there, hidden under the mounts when it runs).
  std::array<char*, 5> excludes{};
  std::string patterns[] = {"./proc/*", "./sys/*", "./dev/*", "./run/*"};
  for (std::size_t i = 0; i < 4; ++i) excludes[i] = patterns[i].data();
  struct guestfs_tar_out_opts_argv tar {};
  tar.bitmask = GUESTFS_TAR_OUT_OPTS_EXCLUDES_BITMASK | GUESTFS_TAR_OUT_OPTS_NUMERICOWNER_BITMASK;
  tar.excludes = excludes.data();
  tar.numericowner = 1;
  const std::string target = "/dev/fd/" + std::to_string(data_fd);
  out.send({{"event", "extracting"}});
  const int rc = api.tar_out(g, "/", target.c_str(), &tar);
  ::close(data_fd);  // the parent's end of the stream ends here
  if (rc != 0) return out.fail("extract", last_error(api, g));
  (void)api.umount_all(g);
  (void)api.shutdown(g);
  out.send({{"event", "done"}});
  return 0;
}

}  // namespace premigrate::image
