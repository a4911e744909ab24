// Finds the data folders (knowledgebase/, rules/, templates/, and the portable tarball's rpm/)
// without flags: the PREMIGRATE_DATA_DIR environment variable, the installed share/premigrate
// beside the binary, or the source tree the binary was built from.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace premigrate::core {

// Returns the first existing <base>/<name> in search order; throws RunError listing the
// places tried when none exists.
[[nodiscard]] std::filesystem::path find_data_dir(std::string_view name);

// The same search, for a folder that only some layouts have: nullopt when none exists.
[[nodiscard]] std::optional<std::filesystem::path> find_optional_data_dir(std::string_view name);

}  // namespace premigrate::core
