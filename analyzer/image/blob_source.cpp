// Reading an image layout, from a directory or from an archive copied member by member.
#include "image/blob_source.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "image/archive_io.hpp"

namespace premigrate::image {

namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : "/") + p;
  return s;
}

// Opens the regular file at `parts` below base, never following a link.
core::Fd open_below(int base, const std::vector<std::string>& parts) {
  if (parts.empty()) return {};
  auto dir = open_dirs(base, parts, parts.size() - 1, false);
  if (!dir.fd.valid()) return {};
  core::Fd fd(::openat(dir.fd.get(), parts.back().c_str(),
                       O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  struct stat st {};
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  return fd;
}

class DirSource : public BlobSource {
 public:
  explicit DirSource(core::Fd dir) : dir_(std::move(dir)) {}
  [[nodiscard]] core::Fd open(const std::string& name) const override {
    const auto m = split_member_path(name);
    if (m.escape || m.absolute) return {};
    return open_below(dir_.get(), m.parts);
  }

 private:
  core::Fd dir_;
};

class ArchiveSource : public BlobSource {
 public:
  ArchiveSource(int scratch_fd, std::map<std::string, std::string> files,
                std::map<std::string, std::string> links)
      : scratch_fd_(scratch_fd), files_(std::move(files)), links_(std::move(links)) {}
  [[nodiscard]] core::Fd open(const std::string& name) const override {
    const auto m = split_member_path(name);
    if (m.escape) return {};
    std::string key = join(m.parts);
    for (int hop = 0; hop < 16; ++hop) {  // links between members, bounded
      const auto f = files_.find(key);
      if (f != files_.end()) return open_below(scratch_fd_, {f->second});
      const auto l = links_.find(key);
      if (l == links_.end()) return {};
      key = l->second;
    }
    return {};
  }

 private:
  int scratch_fd_;
  std::map<std::string, std::string> files_;  // member name -> scratch file name
  std::map<std::string, std::string> links_;  // member name -> member name it points to
};

// The member a symbolic link inside the archive points to ("" when it leaves the archive).
std::string link_target(const std::vector<std::string>& from, const std::string& target) {
  if (!target.empty() && target.front() == '/') return {};
  std::vector<std::string> parts(from.begin(), from.end() - (from.empty() ? 0 : 1));
  for (const auto& p : split_member_path(target).parts) {
    if (p != "..") {
      parts.push_back(p);
    } else if (parts.empty()) {
      return {};
    } else {
      parts.pop_back();
    }
  }
  return join(parts);
}

}  // namespace

std::unique_ptr<BlobSource> open_layout_dir(const std::string& path) {
  core::Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid())
    throw core::RunError("cannot open image directory " + path + ": " + std::strerror(errno));
  return std::make_unique<DirSource>(std::move(fd));
}

std::unique_ptr<BlobSource> extract_archive(const std::string& path, int scratch_fd,
                                            const ImageLimits& limits, WriteBudget& budget,
                                            core::Diagnostics& diags) {
  core::Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!in.valid()) throw core::RunError("cannot open image " + path + ": " + std::strerror(errno));
  auto tar = open_tar(in.get());
  if (!tar.a) throw core::RunError("image " + path + " is not a readable tar: " + tar.error);
  if (::mkdirat(scratch_fd, "blobs", 0700) != 0)
    throw core::RunError(std::string("cannot create the scratch blob folder: ") +
                         std::strerror(errno));
  core::Fd blobs(::openat(scratch_fd, "blobs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> links;
  archive_entry* e = nullptr;
  std::string err;
  int rc = 0;
  while ((rc = next_entry(tar.a.get(), &e, err)) == 1) {
    const std::string raw = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    const std::string shown = core::printable_text(raw);
    if (++budget.members > limits.max_members)
      throw core::RunError("image " + path + " has more than " +
                           std::to_string(limits.max_members) + " members; not read");
    const auto m = split_member_path(raw);
    if (m.escape || m.parts.empty()) continue;  // never looked up: layout names have no ".."
    const std::string key = join(m.parts);
    if (const char* hl = archive_entry_hardlink(e)) {
      links[key] = join(split_member_path(hl).parts);
      continue;
    }
    if (archive_entry_filetype(e) == AE_IFLNK) {
      const char* t = archive_entry_symlink(e);
      const auto target = link_target(m.parts, t != nullptr ? t : "");
      if (!target.empty()) links[key] = target;
      continue;
    }
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    const auto size = static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(e)));
    if (size > limits.max_total_bytes - std::min(budget.bytes, limits.max_total_bytes)) {
      diags.error("image.budget", shown,
                  "the image's files exceed " + std::to_string(limits.max_total_bytes >> 20) +
                      " MiB in all; this member was not copied",
                  path);
      continue;
    }
    budget.bytes += size;
    const std::string name = std::to_string(files.size());
    core::Fd out(::openat(blobs.get(), name.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.valid())
      throw core::RunError(std::string("cannot write into the scratch directory: ") +
                           std::strerror(errno));
    const auto copy_err = copy_data(tar.a.get(), out.get(), size);
    if (!copy_err.empty()) {
      diags.error("image.read", shown, copy_err, path);
      continue;
    }
    files[key] = "blobs/" + name;
  }
  if (rc < 0) diags.error("image.read", "/", "the archive ends early: " + err, path);
  return std::make_unique<ArchiveSource>(scratch_fd, std::move(files), std::move(links));
}

std::string read_small(const BlobSource& src, const std::string& name, std::size_t max_bytes) {
  auto fd = src.open(name);
  if (!fd.valid()) throw core::RunError("the image has no " + core::printable_text(name));
  std::string text;
  char buf[1 << 15];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw core::RunError("cannot read " + core::printable_text(name) +
                           " in the image: " + std::strerror(errno));
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > max_bytes)
      throw core::RunError(core::printable_text(name) + " in the image is over " +
                           std::to_string(max_bytes) + " bytes; not read");
  }
  return text;
}

}  // namespace premigrate::image
