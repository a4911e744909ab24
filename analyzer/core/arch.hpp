// Target architectures: the closed set premigrate judges against (one KB pack each), with
// the one table of their names ("x86_64", "aarch64") that option parsing and validation use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace premigrate::core {

enum class Arch { kX8664, kAarch64 };

// Every architecture, in the order reports and --help list them.
[[nodiscard]] const std::vector<Arch>& all_archs();
[[nodiscard]] std::string_view to_string(Arch a);
[[nodiscard]] std::optional<Arch> parse_arch(std::string_view name);
// The names of all_archs(), in order.
[[nodiscard]] std::vector<std::string> arch_names();
// "x86_64, aarch64": for messages and --help.
[[nodiscard]] std::string arch_names_text();

}  // namespace premigrate::core
