// Data-folder discovery (see data_paths.hpp for the search order).
#include "core/data_paths.hpp"

#include <sys/auxv.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/errors.hpp"

namespace premigrate::core {

namespace {
// The folder of the file the kernel started. Started through the portable tarball's bundled
// loader (lib/ld-linux-x86-64.so.2 ... libexec/premigrate), that is lib/, whose
// ../share/premigrate is the tarball's data as well. Without /proc (a bare chroot) the path
// given to execve (AT_EXECFN, on the initial stack; relative to the start-up directory, which
// the program never changes) stands in for /proc/self/exe.
std::filesystem::path exe_dir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) return p.parent_path();
  // NOLINTNEXTLINE(performance-no-int-to-ptr): getauxval returns the string's address as a long
  const auto* execfn = reinterpret_cast<const char*>(::getauxval(AT_EXECFN));
  if (execfn == nullptr || *execfn == '\0') return {};
  return std::filesystem::absolute(execfn, ec).parent_path();
}

std::vector<std::filesystem::path> data_bases() {
  std::vector<std::filesystem::path> bases;
  if (const char* env = std::getenv("PREMIGRATE_DATA_DIR"); env && *env) bases.emplace_back(env);
  if (auto d = exe_dir(); !d.empty()) {
    bases.push_back(d / "../share/premigrate");
    bases.push_back(d / "share/premigrate");  // a binary unpacked beside its share/
  }
  bases.emplace_back(PREMIGRATE_SOURCE_DATA_DIR);
  return bases;
}
}  // namespace

std::optional<std::filesystem::path> find_optional_data_dir(std::string_view name) {
  for (const auto& b : data_bases()) {
    auto p = b / std::string(name);
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) return std::filesystem::weakly_canonical(p, ec);
  }
  return std::nullopt;
}

std::filesystem::path find_data_dir(std::string_view name) {
  if (auto found = find_optional_data_dir(name)) return *found;
  std::string tried;
  for (const auto& b : data_bases()) {
    tried += (tried.empty() ? "" : ", ") + (b / std::string(name)).string();
  }
  throw RunError("cannot find the " + std::string(name) + " folder (tried " + tried +
                 "); set PREMIGRATE_DATA_DIR");
}

}  // namespace premigrate::core
