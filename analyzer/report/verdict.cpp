// Verdict words: the one table of their names.
#include "report/verdict.hpp"

#include "core/errors.hpp"
#include "core/name_table.hpp"
#include "core/text.hpp"

namespace premigrate::report {

namespace {
constexpr core::NameTable<Verdict, 4> kVerdictNames{{{
    {Verdict::kBlocked, "blocked"},
    {Verdict::kIncomplete, "incomplete"},
    {Verdict::kReadyAfterActions, "ready_after_actions"},
    {Verdict::kReady, "ready"},
}}};
}  // namespace

const std::vector<Verdict>& all_verdicts() {
  static const std::vector<Verdict> all = kVerdictNames.values();
  return all;
}
std::string_view to_string(Verdict v) { return kVerdictNames.name(v); }
std::optional<Verdict> parse_verdict(std::string_view w) { return kVerdictNames.parse(w); }

Verdict verdict_or_throw(std::string_view word, const std::string& where) {
  if (const auto v = parse_verdict(word)) return *v;
  // Both come from a file: printed, they must not drive the terminal.
  throw core::RunError(core::terminal_safe(where) + ": unknown verdict \"" +
                       core::terminal_safe(std::string(word)) + "\" (a report says " +
                       kVerdictNames.names_text() + ")");
}

}  // namespace premigrate::report
