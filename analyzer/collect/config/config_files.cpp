// %config verification in the manner of `rpm -V`'s digest test, with OpenSSL's EVP digests.
#include "collect/config/config_files.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>

#include "collect/files/confined_io.hpp"
#include "core/text.hpp"

namespace premigrate::collect::config {

namespace {

bool has_flag(const facts::PackageFile& f, const char* flag) {
  return std::find(f.flags.begin(), f.flags.end(), flag) != f.flags.end();
}

// rpm's digest algorithm names are OpenSSL's digest names; an rpmdb without a
// FILEDIGESTALGO tag uses MD5 (rpm's default before 4.6 builds changed it).
std::string evp_name(const std::string& algo) { return algo.empty() ? "MD5" : algo; }

class EtcCollector : public files::FileVisitor {
 public:
  void on_file(const files::FileEntry& e) override {
    if (e.owner != nullptr) return;
    std::lock_guard lock(mu_);
    paths.push_back(e.path);
  }
  std::vector<std::string> paths;

 private:
  std::mutex mu_;
};

}  // namespace

std::optional<std::string> file_digest(int fd, const std::string& algo) {
  const EVP_MD* md = EVP_get_digestbyname(evp_name(algo).c_str());
  if (md == nullptr) return std::nullopt;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return std::nullopt;
  unsigned char buf[65536];
  off_t off = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    if (n == 0) break;
    if (EVP_DigestUpdate(ctx.get(), buf, static_cast<std::size_t>(n)) != 1) return std::nullopt;
    off += n;
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 0xF];
  }
  return hex;
}

std::vector<facts::ConfigFile> collect_config_files(const core::RootFs& root,
                                                    const std::vector<facts::Package>& packages,
                                                    const files::OwnershipIndex& owners,
                                                    const files::WalkOptions& walk_options,
                                                    core::Diagnostics& diags) {
  std::vector<facts::ConfigFile> out;
  for (const auto& pkg : packages) {
    const std::string nevra = pkg.nevra();
    for (const auto& f : pkg.files) {
      if (!has_flag(f, "config") || has_flag(f, "ghost")) continue;  // %ghost has no content
      if (S_ISDIR(f.mode)) continue;
      facts::ConfigFile c;
      c.path = core::printable_path(f.path);
      c.package = nevra;
      c.digest_algo = evp_name(pkg.file_digest_algo);
      c.noreplace = has_flag(f, "noreplace");
      if (S_ISLNK(f.mode)) {
        // A packaged symlink is verified by its target, as rpm -V does.
        const auto target = files::read_link(root, f.path);
        c.digest_algo.clear();
        c.state = !target ? "missing" : *target == f.linkto ? "unchanged" : "modified";
        out.push_back(std::move(c));
        continue;
      }
      files::OpenedFile of = files::open_file(root, f.path, false);
      if (!of.fd.valid()) {
        if (of.error == ENOENT || of.error == ENOTDIR) {
          c.state = "missing";
        } else if (of.error == ELOOP || of.error == EINVAL || of.error == EISDIR) {
          c.state = "modified";  // the packaged regular file is now a link or another type
        } else {
          c.state = "unreadable";
          diags.warn("config.unreadable", c.path, std::strerror(of.error));
        }
        out.push_back(std::move(c));
        continue;
      }
      if (f.digest.empty()) {
        // No recorded digest to compare with: only the size can tell.
        c.state = static_cast<std::uint64_t>(of.st.st_size) == f.size ? "unchanged" : "modified";
        out.push_back(std::move(c));
        continue;
      }
      auto digest = file_digest(of.fd.get(), c.digest_algo);
      if (!digest) {
        c.state = "unreadable";
        diags.warn("config.digest", c.path,
                   "cannot compute the " + c.digest_algo + " digest of the file");
      } else {
        std::string expected = f.digest;
        expected = core::ascii_lower(expected);
        c.state = *digest == expected ? "unchanged" : "modified";
      }
      out.push_back(std::move(c));
    }
  }

  files::WalkOptions wo = walk_options;
  wo.paths = {"/etc"};
  wo.progress = false;
  wo.jobs = 1;  // runs beside the main walk (collect.cpp), which has the cores
  EtcCollector etc;
  core::Diagnostics walk_diags;  // the main walk reports the same entries; avoid doubles
  (void)files::walk(root, wo, &owners, &etc, walk_diags);
  std::sort(etc.paths.begin(), etc.paths.end());
  for (const auto& p : etc.paths) {
    facts::ConfigFile c;
    c.path = core::printable_path(p);
    c.state = "unowned";
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace premigrate::collect::config
