// Scratch directories for the scanner's own use, outside the scanned root.
#include "core/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include "core/errors.hpp"

namespace premigrate::core {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/premigrate.XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    throw RunError("cannot create a scratch directory under " +
                   std::string(base && *base ? base : "/tmp") + ": " + std::strerror(errno));
  }
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace premigrate::core
