// The closed sets of status words an inventory carries: how each collector ended and how a
// file the analysis asked for was read. One name table each (statuses.cpp); reading an
// inventory JSON refuses a word that is not in them.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace premigrate::facts {

// ok: ran in full; partial: ran, some items unreadable; failed: stopped by an error (reason
// says which); skipped: not run (e.g. no rpmdb on a root without rpm, --no-files).
enum class CollectorState { kOk, kPartial, kFailed, kSkipped };

// How a requested file was read (collect/files/confined_io.hpp reads it).
enum class ReadStatus { kOk, kMissing, kNotRegular, kTooLarge, kUnreadable };

[[nodiscard]] std::string_view to_string(CollectorState s);
[[nodiscard]] std::optional<CollectorState> parse_collector_state(std::string_view word);
[[nodiscard]] std::string_view to_string(ReadStatus s);
[[nodiscard]] std::optional<ReadStatus> parse_read_status(std::string_view word);

// As their words; from_json throws std::invalid_argument naming an unknown word and the
// words allowed (the inventory reader turns it into an error naming the file).
void to_json(nlohmann::json& j, CollectorState s);
void from_json(const nlohmann::json& j, CollectorState& s);
void to_json(nlohmann::json& j, ReadStatus s);
void from_json(const nlohmann::json& j, ReadStatus& s);

}  // namespace premigrate::facts
