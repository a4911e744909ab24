// Skipping a Catch2 test case that cannot run here (a tool, root or ../shared missing): the
// reason is printed as "skipped: <reason>" and the case is marked skipped. The shared main
// (test/test_main.cpp) exits 77, CTest's SKIP_RETURN_CODE, when every case the process ran was
// skipped and none failed; a failed check, before or after the skip, still fails the test.
#pragma once

#include <sstream>
#include <string>

namespace premigrate::test {

// Prints the reason and marks the running test case skipped. The caller returns (or goes on
// with what it can still check: those checks count).
void skip(const std::string& reason);

}  // namespace premigrate::test

// Skips the running test case with a streamed reason and returns from the enclosing function
// (which returns void: a TEST_CASE body or a helper of one). `reason` is a stream expression
// ("a" << b), so it cannot be parenthesised (the NOLINT below).
#define PREMIGRATE_SKIP(reason)                                                \
  do {                                                                         \
    std::ostringstream premigrate_skip_reason;                                 \
    premigrate_skip_reason << reason; /* NOLINT(bugprone-macro-parentheses) */ \
    ::premigrate::test::skip(premigrate_skip_reason.str());                    \
    return;                                                                    \
  } while (false)
