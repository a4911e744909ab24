// Reads one kernel module (.ko, .ko.xz, .ko.zst, .ko.gz): .modinfo, __versions, undefined
// symbols, the appended signature trailer. Compressed modules are decompressed in memory
// with a size cap.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.hpp"
#include "facts/kernel_module.hpp"

namespace premigrate::collect::kmod {

// True for names ending in .ko, .ko.xz, .ko.zst, .ko.gz.
[[nodiscard]] bool is_module_name(const std::string& file_name);

// Reads the module open on `fd`. `root_path` is its root-relative path; kernel_release and
// location are derived from it (lib/modules/<release>/{kernel,extra,updates,weak-updates}/).
[[nodiscard]] std::optional<facts::KernelModule> read_module(int fd, const std::string& root_path,
                                                             core::Diagnostics& diags);

// The time all module decompression of one scan may take, shared by the workers: a root full
// of decompression bombs (each under the size cap) costs this much, not hours.
class DecompressBudget {
 public:
  explicit DecompressBudget(std::chrono::milliseconds total)
      : total_(total), left_ns_(std::chrono::nanoseconds(total).count()) {}
  [[nodiscard]] std::chrono::nanoseconds left() const {
    return std::chrono::nanoseconds(left_ns_.load());
  }
  void spend(std::chrono::nanoseconds d) { left_ns_ -= d.count(); }
  [[nodiscard]] std::chrono::milliseconds total() const { return total_; }

 private:
  std::chrono::milliseconds total_;
  std::atomic<std::int64_t> left_ns_;
};

struct ReadLimits {
  std::size_t max_decompressed = std::size_t{256} << 20;  // a compressed module's output cap
  std::chrono::milliseconds max_decompress_time{20000};   // one module's decompression
  DecompressBudget* budget = nullptr;                     // the scan's, shared; null: none
};

// As above with explicit limits; a module past the cap gives "kmod.too_large" and nullopt.
[[nodiscard]] std::optional<facts::KernelModule> read_module(int fd, const std::string& root_path,
                                                             core::Diagnostics& diags,
                                                             const ReadLimits& limits);

// Where a module sits: "/lib/modules/<release>/<area>/..." or the same under /usr. `area` is
// kernel, extra, updates or weak-updates, else "other"; both are empty outside lib/modules.
struct ModulePlace {
  std::string kernel_release;
  std::string location;
  bool out_of_tree = false;  // extra, updates, weak-updates
};
[[nodiscard]] ModulePlace module_place(std::string_view root_path);

// The module name the kernel would use when .modinfo has none: the file name without its
// .ko[.xz|.zst|.gz] suffix, '-' read as '_' (kmod treats them alike).
[[nodiscard]] std::string name_from_path(std::string_view root_path);

}  // namespace premigrate::collect::kmod
