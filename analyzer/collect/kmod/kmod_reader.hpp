// Reads one kernel module (.ko, .ko.xz, .ko.zst, .ko.gz): .modinfo, __versions, undefined
// symbols, the appended signature trailer. Compressed modules are decompressed in memory
// with a size cap.
#pragma once

#include <optional>
#include <string>

#include "core/diagnostics.hpp"
#include "facts/kernel_module.hpp"

namespace premigrate::collect::kmod {

// True for names ending in .ko, .ko.xz, .ko.zst, .ko.gz.
[[nodiscard]] bool is_module_name(const std::string& file_name);

// Reads the module open on `fd`. `root_path` is its root-relative path; kernel_release and
// location are derived from it (lib/modules/<release>/{kernel,extra,updates,weak-updates}/).
[[nodiscard]] std::optional<facts::KernelModule> read_module(int fd, const std::string& root_path,
                                                             core::Diagnostics& diags);

}  // namespace premigrate::collect::kmod
