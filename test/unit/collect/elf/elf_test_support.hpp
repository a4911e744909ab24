// Helpers shared by the collect/elf tests: fixture lookup (skipping with the reason the
// fixture build recorded) and reading one file through read_elf().
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "collect/elf/elf_reader.hpp"
#include "support/skip.hpp"

namespace premigrate::test {

inline const std::filesystem::path kElfFixtures = PREMIGRATE_ELF_FIXTURES;

// The fixture's path, or nullopt after a Catch2 WARN naming why it was not built.
inline std::optional<std::filesystem::path> elf_fixture(const std::string& rel) {
  std::filesystem::path p = kElfFixtures / rel;
  std::filesystem::path reason = kElfFixtures / "skipped" / p.stem();
  if (std::filesystem::exists(reason)) {
    std::ifstream in(reason);
    std::string why((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    premigrate::test::skip("fixture " + rel + " was not built: " + why);
    return std::nullopt;
  }
  REQUIRE(std::filesystem::exists(p));
  return p;
}

inline std::optional<facts::ElfObject> read_file(const std::filesystem::path& host,
                                                 const std::string& root_path,
                                                 core::Diagnostics& diags) {
  int fd = ::open(host.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  auto obj = collect::elf::read_elf(fd, root_path, diags);
  ::close(fd);
  return obj;
}

// The diagnostic with `code`, if any.
inline std::optional<core::Diagnostic> find_diag(const core::Diagnostics& diags,
                                                 const std::string& code) {
  for (const auto& d : diags.sorted()) {
    if (d.code == code) return d;
  }
  return std::nullopt;
}

template <typename V, typename T>
bool contains(const V& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace premigrate::test
