// The sync's progress bar: redrawn in place with '\r', never wider than one line.
#include "kb/sync/sync_progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "core/errors.hpp"

namespace premigrate::kb::sync {

ProgressMode parse_progress_mode(const std::string& value) {
  if (value == "auto") return ProgressMode::kAuto;
  if (value == "always") return ProgressMode::kAlways;
  if (value == "never") return ProgressMode::kNever;
  throw core::UsageError("kb sync: --progress must be auto, always or never (not '" + value + "')");
}

Progress::Progress(ProgressMode mode, std::ostream& out) : out_(out) {
  const char* ci = std::getenv("CI");
  enabled_ = mode == ProgressMode::kAlways ||
             (mode == ProgressMode::kAuto && isatty(STDERR_FILENO) != 0 && !(ci && *ci));
}

std::string human_bytes(std::uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  auto v = static_cast<double>(n);
  std::size_t u = 0;
  while (v >= 1024.0 && u + 1 < std::size(units)) v /= 1024.0, ++u;
  char buf[32];
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

void Progress::start_file(const std::string& url) {
  current_ = url;
  file_now_ = file_total_ = 0;
  draw();
}

void Progress::bytes(std::int64_t now, std::int64_t total) {
  if (now < file_now_) return;  // librepo restarts a transfer on retry; keep the count monotonic
  file_now_ = now;
  file_total_ = total;
  draw();
}

void Progress::end_file(bool downloaded) {
  if (downloaded) {
    ++files_downloaded_;
    bytes_done_ += static_cast<std::uint64_t>(file_now_);
  } else {
    ++files_cached_;
  }
  file_now_ = file_total_ = 0;
  draw();
}

void Progress::draw() {
  if (!enabled_) return;
  std::string name = current_;
  if (auto slash = name.find_last_of('/'); slash != std::string::npos && slash + 1 < name.size())
    name = name.substr(slash + 1);
  if (name.size() > 40) name = "..." + name.substr(name.size() - 37);
  std::string line = "kb sync: " + std::to_string(files_downloaded_) + " downloaded, " +
                     std::to_string(files_cached_) + " cached, " +
                     human_bytes(bytes_done_ + static_cast<std::uint64_t>(file_now_));
  if (file_total_ > 0)
    line += " | " + name + " " + std::to_string(file_now_ * 100 / file_total_) + "%";
  out_ << "\r" << line << "\x1b[K" << std::flush;
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) out_ << "\n" << std::flush;
  drawn_ = false;
}

}  // namespace premigrate::kb::sync
