// Finding severities, ordered; parsed from and printed as lower-case words.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace premigrate::report {

enum class Severity { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kBlocker = 4 };

[[nodiscard]] std::string_view to_string(Severity s);
[[nodiscard]] std::optional<Severity> parse_severity(std::string_view word);

}  // namespace premigrate::report
