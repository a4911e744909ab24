// find_data_dir / find_optional_data_dir: PREMIGRATE_DATA_DIR first, then the layouts beside
// the binary, then the source tree; a folder only some layouts have (the tarball's rpm/) is
// optional.
#include "core/data_paths.hpp"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "core/errors.hpp"
#include "core/temp_dir.hpp"

namespace fs = std::filesystem;
using premigrate::core::find_data_dir;
using premigrate::core::find_optional_data_dir;

namespace {
// Sets PREMIGRATE_DATA_DIR for one test case and removes it after.
struct DataDirEnv {
  explicit DataDirEnv(const fs::path& dir) { ::setenv("PREMIGRATE_DATA_DIR", dir.c_str(), 1); }
  ~DataDirEnv() { ::unsetenv("PREMIGRATE_DATA_DIR"); }
  DataDirEnv(const DataDirEnv&) = delete;
  DataDirEnv& operator=(const DataDirEnv&) = delete;
};
}  // namespace

TEST_CASE("PREMIGRATE_DATA_DIR comes first and an optional folder is found there") {
  premigrate::core::TempDir tmp;
  fs::create_directories(tmp.path() / "rpm");
  fs::create_directories(tmp.path() / "rules");
  DataDirEnv env(tmp.path());
  CHECK(find_optional_data_dir("rpm") == fs::canonical(tmp.path() / "rpm"));
  CHECK(find_data_dir("rules") == fs::canonical(tmp.path() / "rules"));
}

TEST_CASE("a folder no layout has is nullopt or an error naming the places tried") {
  CHECK_FALSE(find_optional_data_dir("no-such-data-folder").has_value());
  try {
    (void)find_data_dir("no-such-data-folder");
    FAIL("find_data_dir did not throw");
  } catch (const premigrate::core::RunError& e) {
    const std::string what = e.what();
    CHECK(what.find("no-such-data-folder") != std::string::npos);
    CHECK(what.find("PREMIGRATE_DATA_DIR") != std::string::npos);
  }
}

TEST_CASE("without the variable the source tree's folders are found and it has no rpm/") {
  CHECK(fs::is_directory(find_data_dir("rules")));
  CHECK(fs::exists(find_data_dir("knowledgebase") / "targets.json"));
  CHECK_FALSE(find_optional_data_dir("rpm").has_value());
}
