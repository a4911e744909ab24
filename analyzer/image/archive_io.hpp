// libarchive, read side: a tar (compressed with whatever libarchive's filters know: gzip,
// zstd, xz, bzip2) read from a descriptor, and one member's data copied into a file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

struct archive;
struct archive_entry;

namespace premigrate::image {

struct ArchiveFree {
  void operator()(archive* a) const;
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

// A tar reader over fd from offset 0 (rewind) or from where a stream (a pipe) stands; the error
// names what libarchive said when it cannot start (empty archive, unknown format).
struct TarOpen {
  ArchivePtr a;
  std::string error;
};
[[nodiscard]] TarOpen open_tar(int fd, bool rewind = true);

// The next member: 1 an entry, 0 the end, -1 an error (its text in `error`).
[[nodiscard]] int next_entry(archive* a, archive_entry** entry, std::string& error);

// Copies the current member's data into out_fd at the offsets the archive gives (holes of a
// sparse member stay holes) and sets the file's size to `size`. Returns "" or the error.
[[nodiscard]] std::string copy_data(archive* a, int out_fd, std::uint64_t size);

}  // namespace premigrate::image
