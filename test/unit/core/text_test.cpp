// printable_path keeps hostile file names printable, one-line and valid UTF-8.
#include "core/text.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

using premigrate::core::is_valid_utf8;
using premigrate::core::printable_path;

TEST_CASE("printable_path escapes control bytes, backslashes and invalid UTF-8") {
  CHECK(printable_path("/etc/passwd") == "/etc/passwd");
  CHECK(printable_path("/tmp/a\nb") == "/tmp/a\\x0ab");
  CHECK(printable_path("/tmp/\xff\xfe") == "/tmp/\\xff\\xfe");
  CHECK(printable_path("/tmp/back\\slash") == "/tmp/back\\x5cslash");
  CHECK(printable_path("/tmp/caf\xc3\xa9") == "/tmp/caf\xc3\xa9");       // valid UTF-8 kept
  CHECK(printable_path("/tmp/\xc0\xaf") == "/tmp/\\xc0\\xaf");           // overlong '/'
  CHECK(printable_path("/tmp/\xed\xa0\x80") == "/tmp/\\xed\\xa0\\x80");  // surrogate
  CHECK(printable_path("/tmp/\xe2\x82") == "/tmp/\\xe2\\x82");           // truncated sequence
}

TEST_CASE("printable_text keeps backslashes and tabs but not newlines or bad bytes") {
  CHECK(premigrate::core::printable_text("a\\%b\tc") == "a\\%b\tc");
  CHECK(premigrate::core::printable_text("x\ny\xff") == "x\\x0ay\\xff");
}

TEST_CASE("escaped paths are valid UTF-8 and dump as JSON") {
  const std::string raw = "/x\xff\n\xe2\x82\xac\xf4\x90\x80\x80";
  CHECK_FALSE(is_valid_utf8(raw));
  const std::string p = printable_path(raw);
  CHECK(is_valid_utf8(p));
  CHECK(p == "/x\\xff\\x0a\xe2\x82\xac\\xf4\\x90\\x80\\x80");
  nlohmann::json j = p;
  CHECK_NOTHROW(j.dump());
}

TEST_CASE("ascii_lower folds ASCII only, whatever the locale") {
  CHECK(premigrate::core::ascii_lower("PubkeyAuthentication") == "pubkeyauthentication");
  CHECK(premigrate::core::ascii_lower("EPOL") == "epol");
  CHECK(premigrate::core::ascii_lower("\xc3\x84Z") == "\xc3\x84z");  // UTF-8 bytes untouched
}
