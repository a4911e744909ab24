// Progress of a sync on stderr: a one-line bar (files and bytes) redrawn on a terminal,
// nothing on a pipe or in CI unless asked for (--progress always).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace premigrate::kb::sync {

enum class ProgressMode { kAuto, kAlways, kNever };

[[nodiscard]] ProgressMode parse_progress_mode(const std::string& value);

class Progress {
 public:
  // kAuto draws only when stderr is a terminal and CI is not set in the environment.
  Progress(ProgressMode mode, std::ostream& out);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void start_file(const std::string& url);
  // Bytes of the current file so far (of total, 0 when unknown).
  void bytes(std::int64_t now, std::int64_t total);
  void end_file(bool downloaded);
  // Ends the bar line (a newline after the last redraw).
  void finish();

  [[nodiscard]] std::uint64_t files_downloaded() const { return files_downloaded_; }
  [[nodiscard]] std::uint64_t files_cached() const { return files_cached_; }
  [[nodiscard]] std::uint64_t bytes_downloaded() const { return bytes_done_; }

 private:
  void draw();

  bool enabled_;
  std::ostream& out_;
  std::string current_;
  std::int64_t file_now_ = 0, file_total_ = 0;
  std::uint64_t files_downloaded_ = 0, files_cached_ = 0, bytes_done_ = 0;
  bool drawn_ = false;
};

// "1.2 MiB" style sizes for the bar and the summary.
[[nodiscard]] std::string human_bytes(std::uint64_t n);

}  // namespace premigrate::kb::sync
