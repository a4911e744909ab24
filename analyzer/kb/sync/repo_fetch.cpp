// librepo-based metadata fetcher. repomd.xml goes to an incoming folder first and replaces the
// cached one only when every file it lists was fetched and matched its checksum, so the cache
// never pairs a new repomd.xml with old metadata.
#include "kb/sync/repo_fetch.hpp"

#include <fcntl.h>
#include <librepo/librepo.h>
#include <unistd.h>

#include <memory>
#include <set>

#include "core/c_handle.hpp"
#include "core/errors.hpp"
#include "core/root_fs.hpp"

namespace premigrate::kb::sync {

namespace fs = std::filesystem;

namespace {

using core::Fd;
using Handle = core::CHandle<LrHandle, lr_handle_free>;
using Target = core::CHandle<LrDownloadTarget, lr_downloadtarget_free>;
using RepoMd = core::CHandle<LrYumRepoMd, lr_yum_repomd_free>;
using GString = core::CHandle<char, g_free>;

// A GError owned for one call.
class Error {
 public:
  Error() = default;
  Error(const Error&) = delete;
  Error& operator=(const Error&) = delete;
  ~Error() { clear(); }
  GError** out() {
    clear();
    return &e_;
  }
  [[nodiscard]] std::string message() const {
    return e_ && e_->message ? e_->message : "unknown error";
  }
  [[nodiscard]] int code() const { return e_ ? e_->code : LRE_OK; }

 private:
  void clear() {
    if (e_) g_error_free(e_);
    e_ = nullptr;
  }
  GError* e_ = nullptr;
};

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

[[noreturn]] void fail(const std::string& url, const std::string& what) {
  throw core::RunError("kb sync: " + url + ": " + one_line(what));
}

// The kind of failure first, in words a user can act on, then librepo's own message.
std::string explain(int rc, const std::string& msg, const std::string& proxy) {
  const auto has = [&](const char* s) { return msg.find(s) != std::string::npos; };
  if (rc == LRE_BADCHECKSUM) return "checksum mismatch: " + msg;
  if (has("proxy") || has("Proxy") || has("CONNECT")) return "proxy refused: " + msg;
  if (has("SSL") || has("TLS") || has("certificate")) return "TLS failure: " + msg;
  // Through a plain-HTTP proxy a refusal is an ordinary status line: name the proxy too.
  if (rc == LRE_BADSTATUS && !proxy.empty())
    return "HTTP error through proxy " + proxy + ": " + msg;
  if (rc == LRE_BADSTATUS) return "HTTP error: " + msg;
  if (has("(18)") || has("partial")) return "the server stopped mid-file: " + msg;
  if (has("(28)")) return "timed out: " + msg;
  if (rc == LRE_REPOMDXML || rc == LRE_XMLPARSER) return "malformed repomd.xml: " + msg;
  return msg;
}

void setopt_or_fail(gboolean ok, const std::string& url, const char* what) {
  if (!ok) fail(url, std::string("librepo rejected option ") + what);
}

Handle make_handle(const std::string& url, const FetchSettings& s) {
  Handle h(lr_handle_init());
  const char* urls[] = {url.c_str(), nullptr};
  setopt_or_fail(lr_handle_setopt(h.get(), nullptr, LRO_URLS, urls), url, "urls");
  setopt_or_fail(lr_handle_setopt(h.get(), nullptr, LRO_REPOTYPE, LR_YUMREPO), url, "repotype");
  setopt_or_fail(lr_handle_setopt(h.get(), nullptr, LRO_CHECKSUM, 1L), url, "checksum");
  setopt_or_fail(lr_handle_setopt(h.get(), nullptr, LRO_CONNECTTIMEOUT, s.timeout_seconds), url,
                 "timeout");
  // A transfer slower than 1 byte/s for the timeout is a stalled server, not a slow one.
  setopt_or_fail(lr_handle_setopt(h.get(), nullptr, LRO_LOWSPEEDTIME, s.timeout_seconds), url,
                 "lowspeedtime");
  setopt_or_fail(lr_handle_setopt(h.get(), nullptr, LRO_LOWSPEEDLIMIT, 1L), url, "lowspeedlimit");
  setopt_or_fail(lr_handle_setopt(h.get(), nullptr, LRO_USERAGENT, "premigrate-kb-sync"), url,
                 "useragent");
  if (!s.proxy.empty())
    setopt_or_fail(lr_handle_setopt(h.get(), nullptr, LRO_PROXY, s.proxy.c_str()), url, "proxy");
  return h;
}

std::string sha256_of(const fs::path& file, const std::string& url) {
  Fd fd(open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail(url, "cannot read " + file.string());
  Error err;
  const GString sum(lr_checksum_fd(LR_CHECKSUM_SHA256, fd.get(), err.out()));
  if (!sum) fail(url, err.message());
  return std::string("sha256:") + sum.get();
}

bool checksum_matches(const fs::path& file, LrChecksumType type, const std::string& expected) {
  Fd fd(open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return false;
  Error err;
  gboolean matches = FALSE;
  return lr_checksum_fd_cmp(type, fd.get(), expected.c_str(), FALSE, &matches, err.out()) &&
         matches;
}

int on_progress(void* data, double total, double now) {
  static_cast<Progress*>(data)->bytes(static_cast<std::int64_t>(now),
                                      static_cast<std::int64_t>(total));
  return LR_CB_OK;
}

// repomd.xml names its files; a hostile one must not write outside the cache folder.
void check_href(const std::string& href, const std::string& url) {
  if (href.empty() || href[0] == '/' || href.find("..") != std::string::npos)
    fail(url, "repomd.xml names an unsafe location '" + href + "'");
}

// One transfer with retries. With `resume`, a partial file a killed run left is continued (a
// Range request). Throws with the URL and the reason.
void transfer(LrHandle* h, const std::string& base_url, const std::string& href,
              const fs::path& dest, LrChecksumType type, const char* checksum, std::int64_t size,
              bool resume, const FetchSettings& s, Progress& progress) {
  const std::string url = base_url + href;
  std::error_code ec;
  fs::create_directories(dest.parent_path(), ec);
  progress.start_file(url);
  std::string last;
  int last_rc = LRE_OK;
  for (int attempt = 0; attempt <= s.retries; ++attempt) {
    // A copy as long as the file that did not match is corrupt, not partial: start afresh.
    if (fs::exists(dest, ec) && size > 0 &&
        static_cast<std::int64_t>(fs::file_size(dest, ec)) >= size)
      fs::remove(dest, ec);
    GSList* sums =
        checksum ? g_slist_append(nullptr, lr_downloadtargetchecksum_new(type, checksum)) : nullptr;
    // No expected size for librepo: its header check compares it with the Content-Length of
    // a resumed (206) response, which is only the rest, and would refuse every resume. The
    // checksum still proves the whole file.
    Target t(lr_downloadtarget_new(h, href.c_str(), base_url.c_str(), -1, dest.c_str(), sums, 0,
                                   resume ? TRUE : FALSE, on_progress, &progress, nullptr, nullptr,
                                   nullptr, 0, 0, nullptr, FALSE, FALSE));
    Error err;
    const bool ok = lr_download_target(t.get(), err.out());
    if (ok && t->rcode == LRE_OK) return;
    last_rc = t->rcode != LRE_OK ? t->rcode : err.code();
    last = t->err ? t->err : err.message();
    if (last_rc == LRE_BADCHECKSUM) fs::remove(dest, ec);
    // A server that ignores Range cannot resume: the next attempt starts from zero.
    if (last.find("byte ranges") != std::string::npos || last.find("(33)") != std::string::npos)
      fs::remove(dest, ec);
    // 4xx will not change on a retry.
    if (last_rc == LRE_BADSTATUS && last.find("code: 4") != std::string::npos) break;
  }
  progress.finish();
  fail(url, explain(last_rc, last, s.proxy));
}

// A file whose checksum the metadata gives (repomd.xml for its records, primary.xml for
// packages). Returns false when the cached copy already matched (nothing downloaded).
bool fetch_checked(LrHandle* h, const std::string& base_url, const std::string& href,
                   const char* checksum_type, const char* checksum, std::int64_t size,
                   const fs::path& dest, const FetchSettings& s, Progress& progress) {
  const LrChecksumType type = checksum_type ? lr_checksum_type(checksum_type) : LR_CHECKSUM_UNKNOWN;
  if (type == LR_CHECKSUM_UNKNOWN || !checksum || !*checksum)
    fail(base_url + href, std::string("the metadata give no usable checksum (type '") +
                              (checksum_type ? checksum_type : "") + "')");
  std::error_code ec;
  if (fs::exists(dest, ec) && checksum_matches(dest, type, checksum)) return false;
  transfer(h, base_url, href, dest, type, checksum, size, true, s, progress);
  progress.end_file(true);
  return true;
}

void verify_signature(LrHandle* h, const std::string& base_url, const fs::path& incoming,
                      const FetchSettings& s, FetchedRepo& out) {
  if (s.gpg_key.empty()) {
    out.signature = "not verified (no --gpg-key)";
    return;
  }
  const auto asc = incoming / "repodata" / "repomd.xml.asc";
  const auto url = base_url + "repodata/repomd.xml.asc";
  {
    Fd fd(open(asc.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));  // librepo fdopens "w+"
    if (fd.get() < 0) fail(url, "cannot write " + asc.string());
    Error err;
    if (!lr_download_url(h, url.c_str(), fd.get(), err.out())) {
      if (err.message().find("404") == std::string::npos)
        fail(url, explain(err.code(), err.message(), s.proxy));
      out.signature = "unsigned (no repodata/repomd.xml.asc)";
      std::error_code ec;
      fs::remove(asc, ec);
      return;
    }
  }
  const auto home = s.cache_dir / ".gnupg";
  std::error_code ec;
  fs::create_directories(home, ec);
  fs::permissions(home, fs::perms::owner_all, ec);
  Error err;
  if (!lr_gpg_import_key(s.gpg_key.c_str(), home.c_str(), err.out()))
    throw core::RunError("kb sync: " + s.gpg_key.string() +
                         ": cannot import the key: " + one_line(err.message()));
  if (!lr_gpg_check_signature(asc.c_str(), (incoming / "repodata" / "repomd.xml").c_str(),
                              home.c_str(), err.out()))
    fail(base_url + "repodata/repomd.xml", "bad GPG signature: " + err.message());
  out.signature = "verified with " + s.gpg_key.filename().string();
}

}  // namespace

fs::path cache_folder(const fs::path& cache_dir, const std::string& base_url) {
  std::string key = base_url;
  if (auto p = key.find("://"); p != std::string::npos) key = key.substr(p + 3);
  for (auto& c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) c = '_';
  while (!key.empty() && key.back() == '_') key.pop_back();
  if (key.empty() || key[0] == '.') key = "repo" + key;
  return cache_dir / key;
}

FetchedRepo fetch_repo(const std::string& base_url, const FetchSettings& s, Progress& progress) {
  FetchedRepo out;
  out.url = base_url;
  out.dir = cache_folder(s.cache_dir, base_url);
  const auto incoming = out.dir / ".incoming";
  std::error_code ec;
  fs::remove_all(incoming, ec);
  fs::create_directories(incoming, ec);
  if (ec)
    throw core::RunError("kb sync: " + incoming.string() + ": cannot create: " + ec.message());

  auto h = make_handle(base_url, s);
  const auto repomd_url = base_url + "repodata/repomd.xml";
  const auto new_repomd = incoming / "repodata" / "repomd.xml";
  transfer(h.get(), base_url, "repodata/repomd.xml", new_repomd, LR_CHECKSUM_UNKNOWN, nullptr, 0,
           false, s, progress);
  const RepoMd repomd(lr_yum_repomd_init());
  Error err;
  {
    Fd fd(open(new_repomd.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0 ||
        !lr_yum_repomd_parse_file(repomd.get(), fd.get(), nullptr, nullptr, err.out()))
      fail(repomd_url, "malformed repomd.xml: " + err.message());
  }
  LrYumRepoMd* md = repomd.get();
  out.revision = md->revision ? md->revision : "";
  out.timestamp = lr_yum_repomd_get_highest_timestamp(md, err.out());
  out.files.push_back({"repomd", repomd_url, sha256_of(new_repomd, repomd_url),
                       static_cast<std::int64_t>(fs::file_size(new_repomd, ec)), true});
  verify_signature(h.get(), base_url, incoming, s, out);

  std::set<std::string> keep{"repomd.xml", "repomd.xml.asc"};
  for (const char* type : {"primary", "filelists"}) {
    const LrYumRepoMdRecord* rec = lr_yum_repomd_get_record(md, type);
    if (!rec) {
      if (std::string(type) == "primary") fail(repomd_url, "repomd.xml lists no primary metadata");
      continue;
    }
    if (!rec->location_href)
      fail(repomd_url, std::string("the ") + type + " record has no location");
    check_href(rec->location_href, repomd_url);
    const auto dest = out.dir / rec->location_href;
    const bool downloaded = fetch_checked(h.get(), base_url, rec->location_href, rec->checksum_type,
                                          rec->checksum, rec->size, dest, s, progress);
    if (!downloaded) progress.end_file(false);
    out.files.push_back({type, base_url + rec->location_href,
                         std::string(rec->checksum_type) + ":" + rec->checksum, rec->size,
                         downloaded});
    keep.insert(dest.filename().string());
  }
  // Every file matched: the new repomd.xml replaces the cached one (rename is atomic), and
  // metadata of older revisions goes.
  fs::create_directories(out.dir / "repodata", ec);
  fs::rename(new_repomd, out.dir / "repodata" / "repomd.xml", ec);
  if (ec) throw core::RunError("kb sync: " + (out.dir / "repodata").string() + ": " + ec.message());
  if (fs::exists(incoming / "repodata" / "repomd.xml.asc"))
    fs::rename(incoming / "repodata" / "repomd.xml.asc", out.dir / "repodata" / "repomd.xml.asc",
               ec);
  else
    fs::remove(out.dir / "repodata" / "repomd.xml.asc", ec);
  for (const auto& e : fs::directory_iterator(out.dir / "repodata", ec))
    if (!keep.count(e.path().filename().string())) fs::remove(e.path(), ec);
  fs::remove_all(incoming, ec);
  return out;
}

FetchedFile fetch_package(const FetchedRepo& repo, const importers::PackageLocation& pkg,
                          const FetchSettings& s, Progress& progress, std::filesystem::path& dest) {
  const auto url = repo.url + pkg.href;
  check_href(pkg.href, url);
  dest = repo.dir / pkg.href;
  auto h = make_handle(repo.url, s);
  const bool downloaded = fetch_checked(h.get(), repo.url, pkg.href, pkg.checksum_type.c_str(),
                                        pkg.checksum.c_str(), pkg.size, dest, s, progress);
  if (!downloaded) progress.end_file(false);
  return {"rpm", url, pkg.checksum_type + ":" + pkg.checksum, pkg.size, downloaded};
}

}  // namespace premigrate::kb::sync
