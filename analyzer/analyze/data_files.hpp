// The analysis's own data files: rules/ folders, the KB's analysis profile and a waiver file,
// found in the tool's data folders or named on the command line, never paths in the scanned
// root. The one file of analyze/ allowed to read files (test/arch/analyze_includes.cmake).
#pragma once

#include <filesystem>
#include <vector>

#include "analyze/profile.hpp"
#include "analyze/rules.hpp"
#include "analyze/waivers.hpp"

namespace premigrate::analyze {

// Loads *.yaml / *.yml under each dir (recursively, sorted). Throws core::RunError naming the
// file (and line) for a file that does not parse, an unknown kind or parameter, a duplicate id.
[[nodiscard]] RuleSet load_rules(const std::vector<std::filesystem::path>& dirs);
// Throws core::RunError naming the file (and line) on a bad file.
[[nodiscard]] Profile load_profile(const std::filesystem::path& file);
// Throws core::RunError naming the file and line for a malformed waiver.
[[nodiscard]] std::vector<Waiver> load_waivers(const std::filesystem::path& file);

}  // namespace premigrate::analyze
