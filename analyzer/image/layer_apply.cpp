// One layer onto the image root, through directory descriptors (image/confined_tree.hpp).
#include "image/layer_apply.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/text.hpp"
#include "image/archive_io.hpp"

namespace premigrate::image {

namespace {

constexpr const char* kWhiteout = ".wh.";
constexpr const char* kOpaque = ".wh..wh..opq";

std::string shown_path(const MemberPath& m) {
  std::string s;
  for (const auto& p : m.parts) s += "/" + p;
  return core::printable_text(s.empty() ? "/" : s);
}

const char* special_kind(mode_t type) {
  switch (type) {
    case AE_IFCHR:
      return "a character device";
    case AE_IFBLK:
      return "a block device";
    case AE_IFIFO:
      return "a FIFO";
    case AE_IFSOCK:
      return "a socket";
    default:
      return "an entry of unknown type";
  }
}

class Applier {
 public:
  explicit Applier(const LayerContext& ctx) : c_(ctx) {}

  // Pass 1: the whiteouts of this layer, against the layers below it.
  void whiteout(const MemberPath& m) {
    const std::string& leaf = m.parts.back();
    const std::string hidden = leaf.substr(std::strlen(kWhiteout));
    if (leaf != kOpaque && (hidden.empty() || hidden == "." || hidden == "..")) {
      warn("image.whiteout", m, "a whiteout that names no entry; ignored");
      return;
    }
    auto dir = open_dirs(c_.root_fd, m.parts, m.parts.size() - 1, false);
    if (!dir.fd.valid()) return;  // nothing below to hide (or not a directory: nothing inside)
    const bool ok =
        leaf == kOpaque ? clear_dir(dir.fd.get()) : remove_tree_at(dir.fd.get(), hidden);
    if (!ok) warn("image.whiteout", m, "a whiteout could not remove everything it hides");
  }

  // Pass 2: one member.
  void member(archive* a, archive_entry* e, const MemberPath& m) {
    auto parent = open_dirs(c_.root_fd, m.parts, m.parts.size() - 1, true);
    if (!parent.fd.valid()) {
      if (parent.err == ELOOP || parent.err == ENOTDIR)
        warn("image.through_link", m,
             "a parent of this member is a symbolic link or not a directory in the image; not "
             "written through it");
      else
        warn("image.write", m,
             std::string("cannot create its directory: ") + std::strerror(parent.err));
      return;
    }
    const int dfd = parent.fd.get();
    const std::string& leaf = m.parts.back();
    const auto type = archive_entry_filetype(e);
    const mode_t perm = archive_entry_perm(e) & 0777;
    if (const char* hl = archive_entry_hardlink(e)) {
      hardlink(m, dfd, leaf, hl);
    } else if (type == AE_IFDIR) {
      struct stat st {};
      if (::fstatat(dfd, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
        (void)remove_tree_at(dfd, leaf);
      if (::mkdirat(dfd, leaf.c_str(), perm | 0700) != 0 && errno != EEXIST)
        warn("image.write", m, std::string("cannot create the directory: ") + std::strerror(errno));
      else
        (void)::fchmodat(dfd, leaf.c_str(), perm | 0700, 0);
    } else if (type == AE_IFLNK) {
      const char* target = archive_entry_symlink(e);
      (void)remove_tree_at(dfd, leaf);
      // The target is stored as text; core::RootFs re-roots it when the scan resolves it.
      if (::symlinkat(target != nullptr ? target : "", dfd, leaf.c_str()) != 0)
        warn("image.write", m, std::string("cannot create the link: ") + std::strerror(errno));
    } else if (type == AE_IFREG) {
      regular(a, e, m, dfd, leaf, perm);
    } else {
      c_.diags->info("image.special_file", shown_path(m),
                     std::string(special_kind(type)) + " in the image; not created", c_.label);
    }
  }

 private:
  void warn(const char* code, const MemberPath& m, const std::string& message) {
    c_.diags->warn(code, shown_path(m), message, c_.label);
  }

  void regular(archive* a, archive_entry* e, const MemberPath& m, int dfd, const std::string& leaf,
               mode_t perm) {
    const auto size = static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(e)));
    if (size > c_.limits->max_member_bytes) {
      warn("image.member_too_large", m,
           std::to_string(size) + " bytes, over the limit of " +
               std::to_string(c_.limits->max_member_bytes) + " (--max-file-size); not written");
      return;
    }
    if (size >
        c_.limits->max_total_bytes - std::min(c_.budget->bytes, c_.limits->max_total_bytes)) {
      c_.diags->error("image.budget", shown_path(m),
                      "the image's files exceed " +
                          std::to_string(c_.limits->max_total_bytes >> 20) +
                          " MiB in all; not written",
                      c_.label);
      return;
    }
    c_.budget->bytes += size;
    (void)remove_tree_at(dfd, leaf);
    core::Fd out(::openat(dfd, leaf.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          perm | 0600));
    if (!out.valid()) {
      warn("image.write", m, std::string("cannot create the file: ") + std::strerror(errno));
      return;
    }
    const auto err = copy_data(a, out.get(), size);
    if (!err.empty()) warn("image.read", m, err);
    (void)::fchmod(out.get(), perm);  // created 0600 and up, so that the copy could be written
  }

  void hardlink(const MemberPath& m, int dfd, const std::string& leaf, const char* target) {
    const auto t = split_member_path(target);
    if (t.escape || t.parts.empty()) {
      warn("image.link_escape", m,
           "a hard link to '" + core::printable_text(target) + "', outside the image; not created");
      return;
    }
    auto tdir = open_dirs(c_.root_fd, t.parts, t.parts.size() - 1, false);
    struct stat st {};
    if (!tdir.fd.valid() ||
        ::fstatat(tdir.fd.get(), t.parts.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode)) {
      warn("image.hardlink", m,
           "a hard link to " + shown_path(t) +
               ", which is no regular file extracted before it; not created");
      return;
    }
    (void)remove_tree_at(dfd, leaf);
    if (::linkat(tdir.fd.get(), t.parts.back().c_str(), dfd, leaf.c_str(), 0) != 0)
      warn("image.write", m, std::string("cannot create the hard link: ") + std::strerror(errno));
  }

  const LayerContext& c_;
};

// One pass over the layer; `on_member` gets each member with a usable path. Returns false when
// the member limit stopped it.
template <typename F>
bool each_member(int layer_fd, const LayerContext& ctx, bool count, F on_member,
                 bool rewind = true) {
  auto tar = open_tar(layer_fd, rewind);
  if (!tar.a) {
    ctx.diags->error("image.layer_read", "/", "not a readable layer: " + tar.error, ctx.label);
    return true;
  }
  archive_entry* e = nullptr;
  std::string err;
  int rc = 0;
  while ((rc = next_entry(tar.a.get(), &e, err)) == 1) {
    if (count && ++ctx.budget->members > ctx.limits->max_members) {
      ctx.diags->error("image.member_limit", "/",
                       "the image has more than " + std::to_string(ctx.limits->max_members) +
                           " members; the rest were not extracted and the scan is incomplete",
                       ctx.label);
      return false;
    }
    const char* raw = archive_entry_pathname(e);
    auto m = split_member_path(raw != nullptr ? raw : "");
    if (m.escape) {
      ctx.diags->warn("image.path_escape", core::printable_text(raw != nullptr ? raw : ""),
                      "a member path with '..'; not extracted", ctx.label);
      continue;
    }
    if (m.parts.empty()) continue;  // "./" itself
    if (m.absolute && count)
      ctx.diags->warn("image.path_absolute", shown_path(m),
                      "an absolute member path; extracted below the image root", ctx.label);
    on_member(tar.a.get(), e, m);
  }
  if (rc < 0) ctx.diags->error("image.layer_read", "/", "the layer ends early: " + err, ctx.label);
  return true;
}

}  // namespace

bool apply_layer(int layer_fd, const LayerContext& ctx) {
  Applier ap(ctx);
  const auto is_whiteout = [](const MemberPath& m) {
    return m.parts.back().rfind(kWhiteout, 0) == 0;
  };
  if (!each_member(layer_fd, ctx, false, [&](archive*, archive_entry*, const MemberPath& m) {
        if (is_whiteout(m)) ap.whiteout(m);
      }))
    return false;
  return each_member(layer_fd, ctx, true, [&](archive* a, archive_entry* e, const MemberPath& m) {
    if (!is_whiteout(m)) ap.member(a, e, m);
  });
}

bool apply_tar_stream(int stream_fd, const LayerContext& ctx) {
  Applier ap(ctx);
  return each_member(
      stream_fd, ctx, true,
      [&](archive* a, archive_entry* e, const MemberPath& m) { ap.member(a, e, m); }, false);
}

}  // namespace premigrate::image
