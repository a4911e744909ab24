// Reads every header of the root's rpmdb through librpm, from a private copy of the database
// files, so nothing (lock, -shm, -wal, rebuilt index) is ever written into the scanned root and
// read-only media work too.
#include "collect/rpmdb/rpmdb_reader.hpp"

#include <fcntl.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "collect/rpmdb/bdb_empty.hpp"
#include "collect/rpmdb/rpm_header.hpp"
#include "collect/rpmdb/rpmdb_locate.hpp"
#include "core/rpm_handles.hpp"
#include "core/temp_dir.hpp"

namespace premigrate::collect::rpmdb {

namespace {

// librpm keeps global state (macros, log callback): one reader at a time.
std::mutex g_rpm_mutex;

struct LogCapture {
  std::vector<std::pair<rpmlogLvl, std::string>> messages;
};

int log_callback(rpmlogRec rec, rpmlogCallbackData data) {
  auto* cap = static_cast<LogCapture*>(data);
  std::string msg = rpmlogRecMessage(rec) ? rpmlogRecMessage(rec) : "";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  cap->messages.emplace_back(rpmlogRecPriority(rec), std::move(msg));
  return 0;  // never let librpm print to the user's terminal itself
}

class RpmGlobals {
 public:
  RpmGlobals(LogCapture& cap, const std::string& dbpath, const std::string& backend) {
    static std::once_flag once;
    std::call_once(once, [] {
      // The scanning host's rpmrc/macros give librpm its defaults; the two macros that
      // matter for reading are overridden below, so the host's own settings do not leak in.
      (void)rpmReadConfigFiles(nullptr, nullptr);
    });
    prev_cb_ = rpmlogSetCallback(log_callback, &cap);
    prev_mask_ = rpmlogSetMask(RPMLOG_UPTO(RPMLOG_DEBUG) & ~RPMLOG_MASK(RPMLOG_DEBUG));
    rpmPushMacro(nullptr, "_dbpath", nullptr, dbpath.c_str(), RMIL_CMDLINE);
    rpmPushMacro(nullptr, "_db_backend", nullptr, backend.c_str(), RMIL_CMDLINE);
  }
  ~RpmGlobals() {
    rpmPopMacro(nullptr, "_db_backend");
    rpmPopMacro(nullptr, "_dbpath");
    rpmlogSetMask(prev_mask_);
    rpmlogSetCallback(prev_cb_, nullptr);
  }
  RpmGlobals(const RpmGlobals&) = delete;
  RpmGlobals& operator=(const RpmGlobals&) = delete;

 private:
  rpmlogCallback prev_cb_ = nullptr;
  int prev_mask_ = 0;
};

// Copies root-relative `root_path` into the private scratch directory through the root's
// confined reader, at most max_bytes (a sparse multi-gigabyte "Packages" is refused, not
// copied). The copy is created O_EXCL | O_NOFOLLOW inside the mkdtemp directory.
bool copy_into(const core::RootFs& root, const std::string& root_path, const core::TempDir& dir,
               std::uint64_t max_bytes, std::string& err) {
  core::Opened in = root.open_regular(root_path);
  if (!in.fd.valid()) {
    err = in.error == EINVAL || in.error == EISDIR ? "not a regular file; not opened"
                                                   : std::strerror(in.error);
    return false;
  }
  if (static_cast<std::uint64_t>(in.st.st_size) > max_bytes) {
    err = std::to_string(in.st.st_size) + " bytes, larger than --max-file-size (" +
          std::to_string(max_bytes) + " bytes); not copied";
    return false;
  }
  const std::string name = root_path.substr(root_path.rfind('/') + 1);
  core::Fd out(
      ::openat(dir.fd(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out.valid()) {
    err = "cannot create the private copy: " + std::string(std::strerror(errno));
    return false;
  }
  std::vector<char> buf(1 << 20);
  std::uint64_t total = 0;
  for (;;) {
    const ssize_t n = ::read(in.fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = std::strerror(errno);
      return false;
    }
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    if (total > max_bytes) {  // grew while being copied
      err = "grew past --max-file-size (" + std::to_string(max_bytes) + " bytes) while copied";
      return false;
    }
    for (ssize_t off = 0; off < n;) {
      const ssize_t w = ::write(out.get(), buf.data() + off, static_cast<std::size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        err = "cannot write the private copy: " + std::string(std::strerror(errno));
        return false;
      }
      off += w;
    }
  }
  return true;
}

// librpm messages that only say "an index file is missing" are expected for extracted
// images (the reader iterates Packages only); everything else is worth a diagnostic.
bool is_index_noise(const std::string& m) {
  return m.find("No such file or directory") != std::string::npos &&
         m.find("Packages") == std::string::npos;
}

}  // namespace

RpmDbResult read_rpmdb(const core::RootFs& root, core::Diagnostics& diags,
                       std::uint64_t max_bytes) {
  RpmDbResult out;
  Location loc = locate(root);
  out.info.path = loc.dir;
  out.info.backend = to_string(loc.backend);
  switch (loc.backend) {
    case Backend::kNone:
      out.info.status = "missing";
      out.info.message = loc.detail;
      diags.warn("rpmdb.missing", "/", loc.detail);
      return out;
    case Backend::kNdb:
      out.info.status = "unsupported";
      out.info.message = "rpm ndb database found at " + loc.detail +
                         "; premigrate reads Berkeley DB and sqlite rpmdbs (convert with "
                         "`rpmdb --rebuilddb --define '_db_backend sqlite'` on a copy)";
      diags.error("rpmdb.unsupported", loc.db_file, out.info.message);
      return out;
    case Backend::kUnknown:
      out.info.status = "corrupt";
      out.info.message = "unrecognised rpmdb file " + loc.detail;
      diags.error("rpmdb.corrupt", loc.db_file, out.info.message);
      return out;
    case Backend::kBdb:
    case Backend::kSqlite:
      break;
  }

  core::TempDir scratch;
  std::string err;
  std::string failed = loc.db_file;
  bool copied = copy_into(root, loc.db_file, scratch, max_bytes, err);
  for (const auto& extra : loc.extra_files) {
    if (!copied) break;
    copied = copy_into(root, extra, scratch, max_bytes, err);
    if (!copied) failed = extra;
  }
  if (!copied) {
    out.info.status = "unreadable";
    out.info.message = "cannot read " + failed + ": " + err;
    diags.error("rpmdb.unreadable", loc.db_file, out.info.message);
    return out;
  }

  std::lock_guard lock(g_rpm_mutex);
  LogCapture cap;
  {
    RpmGlobals globals(cap, scratch.path().string(),
                       loc.backend == Backend::kBdb ? "bdb_ro" : "sqlite");
    const core::rpm::Ts ts(rpmtsCreate());
    rpmtsSetRootDir(ts.get(), "/");
    if (rpmtsOpenDB(ts.get(), O_RDONLY) != 0) {
      out.info.status = "corrupt";
      out.info.message = "librpm cannot open " + loc.db_file + " as " + to_string(loc.backend);
    } else {
      const core::rpm::DbIterator mi(rpmtsInitIterator(ts.get(), RPMDBI_PACKAGES, nullptr, 0));
      while (Header h = mi ? rpmdbNextIterator(mi.get()) : nullptr) {
        out.packages.push_back(
            package_from_header(h, loc.db_file, rpmdbGetIteratorOffset(mi.get()), diags));
      }
      out.info.status = "ok";
    }
  }
  // Messages name the scratch copy; show the root's own directory instead (and keep the
  // report deterministic).
  const std::string scratch_dir = scratch.path().string();
  // bdb_ro says "error reading Packages database" for a freshly initialised, empty one too
  // (so does `rpm -qa`, which lists nothing and exits 0): an empty root, not a corrupt one.
  const bool empty_bdb =
      loc.backend == Backend::kBdb && out.packages.empty() &&
      bdb_hash_is_empty(scratch.path() / std::filesystem::path(loc.db_file).filename());
  bool real_problem = false;
  for (auto [lvl, msg] : cap.messages) {
    for (std::size_t at; (at = msg.find(scratch_dir)) != std::string::npos;) {
      msg.replace(at, scratch_dir.size(), loc.dir);
    }
    if (lvl > RPMLOG_WARNING) continue;  // notices and info are librpm chatter
    if (is_index_noise(msg) || empty_bdb) continue;
    real_problem = real_problem || lvl <= RPMLOG_ERR;
    diags.add({lvl <= RPMLOG_ERR ? core::DiagLevel::kError : core::DiagLevel::kWarning,
               "rpmdb.librpm", loc.db_file, "", msg, 1});
  }
  if (out.info.status == "ok" && real_problem && out.packages.empty()) {
    out.info.status = "corrupt";
    out.info.message = "librpm could not read any header from " + loc.db_file;
  } else if (out.info.status == "ok" && real_problem) {
    out.info.status = "partial";
    out.info.message = "librpm reported errors while reading " + loc.db_file +
                       "; the packages listed are those it could read";
  }
  if (out.info.status == "corrupt") diags.error("rpmdb.corrupt", loc.db_file, out.info.message);
  out.info.package_count = out.packages.size();
  return out;
}

}  // namespace premigrate::collect::rpmdb
