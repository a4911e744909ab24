// Structural validation of KB packs (`kb validate DIR`): the same rules as
// knowledgebase/schema/kb-pack.schema.json plus cross-checks a JSON Schema cannot express
// (dataset indexes in range, file name matching the pack's migration path).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace premigrate::kb {

// Problems found in one parsed pack, each "<name>: <where>: <problem>"; empty when valid.
[[nodiscard]] std::vector<std::string> validate_pack(const nlohmann::json& pack,
                                                     const std::string& name);

// Validates every packs/*.json under a knowledgebase folder (or every *.json in DIR itself when
// it has no packs/ folder). Unparseable files are reported, not thrown.
[[nodiscard]] std::vector<std::string> validate_dir(const std::filesystem::path& dir,
                                                    std::size_t& packs_checked);

}  // namespace premigrate::kb
