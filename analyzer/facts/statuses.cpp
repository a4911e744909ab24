// The words of the inventory's status sets, one core::NameTable each (a header-only table:
// facts links nothing of ours).
#include "facts/statuses.hpp"

#include <stdexcept>
#include <string>

#include "core/name_table.hpp"

namespace premigrate::facts {

namespace {

constexpr core::NameTable<CollectorState, 4> kCollectorStates{{{
    {CollectorState::kOk, "ok"},
    {CollectorState::kPartial, "partial"},
    {CollectorState::kFailed, "failed"},
    {CollectorState::kSkipped, "skipped"},
}}};

constexpr core::NameTable<ReadStatus, 5> kReadStatuses{{{
    {ReadStatus::kOk, "ok"},
    {ReadStatus::kMissing, "missing"},
    {ReadStatus::kNotRegular, "not_regular"},
    {ReadStatus::kTooLarge, "too_large"},
    {ReadStatus::kUnreadable, "unreadable"},
}}};

template <typename E, std::size_t N>
E parse_or_throw(const core::NameTable<E, N>& table, const nlohmann::json& j, const char* what) {
  const auto word = j.get<std::string>();  // not a string: nlohmann's type_error
  if (const auto v = table.parse(word)) return *v;
  // The word is printed as JSON (quoted, control bytes escaped): it comes from a file.
  throw std::invalid_argument(std::string("unknown ") + what + " " + j.dump() + " (expected " +
                              table.names_text() + ")");
}

}  // namespace

std::string_view to_string(CollectorState s) { return kCollectorStates.name(s); }
std::optional<CollectorState> parse_collector_state(std::string_view w) {
  return kCollectorStates.parse(w);
}
std::string_view to_string(ReadStatus s) { return kReadStatuses.name(s); }
std::optional<ReadStatus> parse_read_status(std::string_view w) { return kReadStatuses.parse(w); }

void to_json(nlohmann::json& j, CollectorState s) { j = std::string(to_string(s)); }
void from_json(const nlohmann::json& j, CollectorState& s) {
  s = parse_or_throw(kCollectorStates, j, "collector status");
}
void to_json(nlohmann::json& j, ReadStatus s) { j = std::string(to_string(s)); }
void from_json(const nlohmann::json& j, ReadStatus& s) {
  s = parse_or_throw(kReadStatuses, j, "root read status");
}

}  // namespace premigrate::facts
