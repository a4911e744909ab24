// Finding severities, ordered; parsed from and printed as lower-case words.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace premigrate::report {

enum class Severity { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kBlocker = 4 };

// info, low, medium, high, blocker: ascending.
[[nodiscard]] const std::vector<Severity>& all_severities();
[[nodiscard]] std::string_view to_string(Severity s);
[[nodiscard]] std::optional<Severity> parse_severity(std::string_view word);

}  // namespace premigrate::report
