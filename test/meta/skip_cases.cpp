// Test cases for the skip meta-test (test/meta/CMakeLists.txt): never registered with the suite
// itself; the meta-test's own CTest project runs each one and checks how CTest reports it.
#include <catch2/catch.hpp>
#include <iostream>

#include "support/skip.hpp"

TEST_CASE("meta: skipped") { PREMIGRATE_SKIP("a tool this case needs is missing"); }

TEST_CASE("meta: skipped then a failed check") {
  premigrate::test::skip("a tool this case needs is missing");
  CHECK(1 + 1 == 3);
}

TEST_CASE("meta: a failed check then skipped") {
  CHECK(1 + 1 == 3);
  PREMIGRATE_SKIP("a tool this case needs is missing");
}

TEST_CASE("meta: prints a skip line then fails") {
  std::cout << "skipped: this line is only output" << std::endl;
  WARN("skipped: a warning that looks like a skip");
  CHECK(1 + 1 == 3);
}

TEST_CASE("meta: passes") { CHECK(1 + 1 == 2); }
