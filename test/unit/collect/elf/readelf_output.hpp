// Test-only: runs binutils readelf on a file and parses what the differential test compares.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "facts/elf_object.hpp"

namespace premigrate::test {

struct ReadelfFacts {
  std::string soname;
  std::vector<std::string> needed;
  std::vector<facts::VersionNeed> verneed;
  std::set<std::pair<std::string, std::string>> undefined;  // (name, version)
};

// `readelf -W --dyn-syms -d -V <file>`; nullopt when readelf cannot be run.
std::optional<ReadelfFacts> run_readelf(const std::filesystem::path& file);

// True when readelf is on PATH.
bool have_readelf();

}  // namespace premigrate::test
