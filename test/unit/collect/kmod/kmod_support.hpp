// Helpers for the collect/kmod tests: fixture lookup that skips with the recorded reason,
// and reading one module file.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "collect/kmod/kmod_reader.hpp"
#include "support/skip.hpp"

namespace premigrate::test {

inline const std::filesystem::path kKmodFixtures = PREMIGRATE_KMOD_FIXTURES;

inline std::optional<std::filesystem::path> kmod_fixture(const std::string& rel) {
  std::filesystem::path p = kKmodFixtures / rel;
  std::filesystem::path reason = kKmodFixtures / "skipped" / p.filename();
  if (std::filesystem::exists(reason)) {
    std::ifstream in(reason);
    std::string why((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    premigrate::test::skip("fixture " + rel + " was not built: " + why);
    return std::nullopt;
  }
  REQUIRE(std::filesystem::exists(p));
  return p;
}

inline std::optional<facts::KernelModule> read_module_file(
    const std::filesystem::path& host, const std::string& root_path, core::Diagnostics& diags,
    const collect::kmod::ReadLimits& limits = {}) {
  int fd = ::open(host.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  auto m = collect::kmod::read_module(fd, root_path, diags, limits);
  ::close(fd);
  return m;
}

inline std::optional<core::Diagnostic> find_kmod_diag(const core::Diagnostics& diags,
                                                      const std::string& code) {
  for (const auto& d : diags.sorted()) {
    if (d.code == code) return d;
  }
  return std::nullopt;
}

}  // namespace premigrate::test
