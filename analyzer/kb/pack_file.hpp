// Reading a KB pack from its file, kept out of knowledge_base.hpp so that the analysis, which
// queries a loaded pack, includes no file-system header (test/arch/analyze_includes.cmake).
#pragma once

#include <filesystem>

#include "kb/knowledge_base.hpp"

namespace premigrate::kb {

// Parses a pack file; throws core::RunError naming the file on an unknown schema or bad data.
[[nodiscard]] KnowledgeBase read_pack_file(const std::filesystem::path& pack_file);

}  // namespace premigrate::kb
