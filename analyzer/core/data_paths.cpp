// Data-folder discovery (see data_paths.hpp for the search order).
#include "core/data_paths.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/errors.hpp"

namespace premigrate::core {

namespace {
std::filesystem::path exe_dir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : p.parent_path();
}
}  // namespace

std::filesystem::path find_data_dir(std::string_view name) {
  std::vector<std::filesystem::path> bases;
  if (const char* env = std::getenv("PREMIGRATE_DATA_DIR"); env && *env) bases.emplace_back(env);
  if (auto d = exe_dir(); !d.empty()) {
    bases.push_back(d / "../share/premigrate");
    bases.push_back(d / "share/premigrate");  // the portable tarball layout
  }
  bases.emplace_back(PREMIGRATE_SOURCE_DATA_DIR);
  std::string tried;
  for (const auto& b : bases) {
    auto p = b / std::string(name);
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) return std::filesystem::weakly_canonical(p, ec);
    tried += (tried.empty() ? "" : ", ") + p.string();
  }
  throw RunError("cannot find the " + std::string(name) + " folder (tried " + tried +
                 "); set PREMIGRATE_DATA_DIR");
}

}  // namespace premigrate::core
