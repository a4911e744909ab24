// Per-architecture verdicts, ordered worst first; parsed from and printed as the words of the
// report JSON (docs/report.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace premigrate::report {

// Worst first: a lower value is a worse verdict (fleet groups hosts in this order).
enum class Verdict { kBlocked = 0, kIncomplete = 1, kReadyAfterActions = 2, kReady = 3 };

// blocked, incomplete, ready_after_actions, ready.
[[nodiscard]] const std::vector<Verdict>& all_verdicts();
[[nodiscard]] std::string_view to_string(Verdict v);
[[nodiscard]] std::optional<Verdict> parse_verdict(std::string_view word);
// parse_verdict, or core::RunError naming the word, `where` and the words a report uses.
[[nodiscard]] Verdict verdict_or_throw(std::string_view word, const std::string& where);

}  // namespace premigrate::report
