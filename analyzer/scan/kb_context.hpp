// The "kb" member of a report's context: KB version, provenance and coverage of every pack a
// scan used, so a report names the data it was judged against.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "kb/knowledge_base.hpp"

namespace premigrate::scan {

// Null when no pack was used (an undetected or unsupported source release).
[[nodiscard]] nlohmann::json kb_context(
    const std::vector<std::pair<std::string, kb::KnowledgeBase>>& packs);

}  // namespace premigrate::scan
