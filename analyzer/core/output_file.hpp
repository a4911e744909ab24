// Output files written whole or not at all, never through a symlink: the text goes to a new
// temporary file beside the destination (O_CREAT | O_EXCL | O_NOFOLLOW), which then replaces
// the destination with renameat. A symlink planted at the destination is replaced, not followed.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "core/root_fs.hpp"

namespace premigrate::core {

class OutputFile {
 public:
  // Creates the temporary file in `dest`'s directory. Throws RunError naming `dest`.
  explicit OutputFile(std::filesystem::path dest);
  ~OutputFile();  // without commit(): the temporary file is removed, the destination untouched
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // A buffered stream onto the temporary file.
  [[nodiscard]] std::ostream& stream();
  // Flushes, syncs and renames the temporary file onto the destination. Throws RunError.
  void commit();

 private:
  class Buf;
  std::filesystem::path dest_;
  std::string tmp_name_;
  Fd dir_;
  Fd fd_;
  std::unique_ptr<Buf> buf_;
  std::unique_ptr<std::ostream> os_;
  bool committed_ = false;
};

// premigrate never writes into the root it scans: an output path inside it (unless the root is
// the live host's /; "" and "-" are stdout) is a usage error naming both.
void refuse_output_in_root(const RootFs& root, const std::string& output);

// Writes `text` to `dest` through an OutputFile.
void write_output_file(const std::filesystem::path& dest, const std::string& text);

}  // namespace premigrate::core
