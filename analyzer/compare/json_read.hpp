// Defensive readers of report JSON written by any premigrate version with schema_version 1:
// a missing or mistyped member reads as empty instead of throwing.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace premigrate::compare {

[[nodiscard]] std::string str_at(const nlohmann::json& j, const char* key);
[[nodiscard]] const nlohmann::json& arr_at(const nlohmann::json& j, const char* key);
[[nodiscard]] const nlohmann::json& obj_at(const nlohmann::json& j, const char* key);
[[nodiscard]] int severity_rank(const std::string& sev);  // blocker 4 ... info 0, unknown -1

// Reads and parses one report file; throws core::RunError naming the file and the parse error,
// or when the document is not a premigrate report of schema_version 1.
[[nodiscard]] nlohmann::json load_report(const std::filesystem::path& path);
// The same from the report's bytes; `name` names it in the error.
[[nodiscard]] nlohmann::json parse_report(std::string_view text, const std::string& name);

}  // namespace premigrate::compare
