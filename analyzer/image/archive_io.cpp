// libarchive wrappers for the image module (the only libarchive user in the project).
#include "image/archive_io.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace premigrate::image {

namespace {
std::string archive_text(archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr ? s : "unknown libarchive error";
}
}  // namespace

void ArchiveFree::operator()(archive* a) const { archive_read_free(a); }

TarOpen open_tar(int fd, bool rewind) {
  TarOpen r;
  if (rewind && ::lseek(fd, 0, SEEK_SET) != 0) {
    r.error = std::strerror(errno);
    return r;
  }
  r.a.reset(archive_read_new());
  if (!r.a) {
    r.error = "out of memory";
    return r;
  }
  archive_read_support_filter_all(r.a.get());
  archive_read_support_format_tar(r.a.get());
  if (archive_read_open_fd(r.a.get(), fd, 1 << 16) != ARCHIVE_OK) {
    r.error = archive_text(r.a.get());
    r.a.reset();
  }
  return r;
}

int next_entry(archive* a, archive_entry** entry, std::string& error) {
  for (;;) {
    const int rc = archive_read_next_header(a, entry);
    if (rc == ARCHIVE_OK || rc == ARCHIVE_WARN) return 1;
    if (rc == ARCHIVE_EOF) return 0;
    if (rc == ARCHIVE_RETRY) continue;
    error = archive_text(a);
    return -1;
  }
}

std::string copy_data(archive* a, int out_fd, std::uint64_t size) {
  const void* buf = nullptr;
  std::size_t len = 0;
  la_int64_t offset = 0;
  for (;;) {
    const int rc = archive_read_data_block(a, &buf, &len, &offset);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) return archive_text(a);
    if (offset < 0 || static_cast<std::uint64_t>(offset) + len > size)
      return "data past the member's declared size";
    const char* p = static_cast<const char*>(buf);
    while (len > 0) {
      const ssize_t n = ::pwrite(out_fd, p, len, offset);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return std::string("cannot write: ") + std::strerror(errno);
      p += n;
      len -= static_cast<std::size_t>(n);
      offset += n;
    }
  }
  if (::ftruncate(out_fd, static_cast<off_t>(size)) != 0)
    return std::string("cannot set the size: ") + std::strerror(errno);
  return {};
}

}  // namespace premigrate::image
