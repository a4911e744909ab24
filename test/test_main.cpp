// The single Catch2 main shared by every unit test executable. Catch2 v2 has no skip of its
// own: a case calls premigrate::test::skip (test/support/skip.hpp), and when every case this
// process ran was skipped and none failed, the process exits 77 (CTest: skipped, not passed).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstddef>
#include <iostream>
#include <set>
#include <string>

#include "support/skip.hpp"

namespace {

constexpr int kSkipExitCode = 77;  // cmake/PremigrateTests.cmake: PREMIGRATE_SKIP_CODE

std::size_t g_cases_run = 0;
std::string g_current_case;
std::set<std::string> g_skipped_cases;

class CaseCounter : public Catch::TestEventListenerBase {
 public:
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    ++g_cases_run;
    g_current_case = info.name;
  }
};

}  // namespace

CATCH_REGISTER_LISTENER(CaseCounter)

namespace premigrate::test {

void skip(const std::string& reason) {
  std::cout << "skipped: " << reason << std::endl;
  g_skipped_cases.insert(g_current_case);
}

}  // namespace premigrate::test

int main(int argc, char** argv) {
  const int rc = Catch::Session().run(argc, argv);
  if (rc == 0 && g_cases_run > 0 && g_skipped_cases.size() == g_cases_run) {
    std::cout << "all " << g_cases_run << " test case(s) run were skipped: exit " << kSkipExitCode
              << std::endl;
    return kSkipExitCode;
  }
  return rc;
}
