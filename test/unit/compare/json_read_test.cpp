// Report loading for diff and fleet (compare::parse_report / load_report): what is accepted,
// what is rejected with a one-line error naming the input, and inputs the fuzzer found.
#include "compare/json_read.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "compare/diff.hpp"
#include "compare/fleet.hpp"
#include "core/errors.hpp"

namespace compare = premigrate::compare;
using premigrate::core::RunError;

namespace {
std::string error_of(const std::string& text) {
  try {
    (void)compare::parse_report(text, "in.json");
  } catch (const RunError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("parse_report accepts a premigrate report of schema_version 1 and nothing else") {
  const auto j =
      compare::parse_report(R"({"schema_version":1,"tool":{"name":"premigrate"}})", "in.json");
  CHECK(j["schema_version"] == 1);
  CHECK(error_of("{").find("report in.json: not JSON") == 0);
  CHECK(error_of("[]").find("report in.json: not a premigrate report") == 0);
  CHECK(error_of(R"({"schema_version":2,"tool":{"name":"premigrate"}})").find("not a premigrate") !=
        std::string::npos);
  CHECK(error_of(R"({"schema_version":1,"tool":{"name":"other"}})").find("not a premigrate") !=
        std::string::npos);
  CHECK(
      error_of(R"({"schema_version":"1","tool":{"name":"premigrate"}})").find("not a premigrate") !=
      std::string::npos);
}

TEST_CASE("a report with every member mistyped reads as empty in diff and fleet") {
  const auto j = compare::parse_report(
      R"({"schema_version":1,"tool":{"name":"premigrate"},"findings":{"a":1},"summary":[1],
          "archs":"x","host":7,"target":null})",
      "odd.json");
  const auto d = compare::diff_reports(j, j);
  CHECK(d.is_object());
  CHECK_FALSE(compare::diff_text(d).empty());
  compare::FleetAggregator fleet;
  fleet.add(j, "odd.json");
  const auto f = fleet.result();
  CHECK(f["hosts"] == 1);
  CHECK_FALSE(compare::fleet_text(f).empty());
}
