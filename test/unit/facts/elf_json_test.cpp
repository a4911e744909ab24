// The direct JSON writers (facts/json_text, facts/elf_json) against nlohmann's dump, byte by byte.
#include "facts/elf_json.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "facts/json_text.hpp"

namespace facts = premigrate::facts;

namespace {
std::string nlohmann_dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Strings that take every path of the serializer: plain, escapes, control bytes, DEL, UTF-8,
// and invalid UTF-8 (lone continuation, truncated and overlong sequences, surrogates).
std::vector<std::string> awkward_strings() {
  std::vector<std::string> v = {"",
                                "plain",
                                "a\"b\\c",
                                "tab\there\nnew\rret\bback\fform",
                                std::string("nul\0in", 6),
                                "\x01\x1f\x7f",
                                "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                                "bad\xff\xfe",
                                "\x80lead",
                                "trunc\xe2\x82",
                                "\xc0\xaf overlong",
                                "\xed\xa0\x80 surrogate",
                                "mixed\xc3\xa9\xff\"\\\x05"};
  for (int b = 0; b < 256; ++b) v.push_back(std::string(1, static_cast<char>(b)) + "x");
  return v;
}
}  // namespace

TEST_CASE("json_text::append_string writes nlohmann's bytes for any string") {
  for (const auto& s : awkward_strings()) {
    std::string out;
    facts::json_text::append_string(out, s);
    CHECK(out == nlohmann_dump(nlohmann::json(s)));
  }
}

TEST_CASE("append_json writes an ElfObject as nlohmann's dump of its json form") {
  facts::ElfObject o;
  SECTION("empty object") {}
  SECTION("every member set, awkward strings included") {
    o.path = "/opt/a\xff/lib\"x\".so";
    o.package = "acme-1:1.0-1.el7.x86_64";
    o.elf_class = 64;
    o.data = "lsb";
    o.machine = "EM_9999";
    o.type = "dyn";
    o.osabi = "GNU";
    o.interp = "/lib64/ld-linux-x86-64.so.2";
    o.soname = "liba.so.1\n";
    o.needed = {"libc.so.6", "libm\x80.so"};
    o.rpath = {"$ORIGIN/../lib"};
    o.runpath = {"/opt/a", "\\b"};
    o.verneed = {{"libc.so.6", {"GLIBC_2.2.5", "GLIBC_2.14"}}, {"libm.so.6", {}}};
    o.verdef = {"LIBA_1.0"};
    o.undefined = {{"printf", "GLIBC_2.2.5", "libc.so.6", false}, {"__gmon_start__", "", "", true}};
    o.exported = {{"a_fn", "LIBA_1.0", "", false}, {"w\xe2\x82", "", "", true}};
    o.is_static = true;
    o.is_pie = true;
    o.stripped = true;
    o.symbols_capped = true;
    o.toolchain.go_buildid = "abc/def";
    o.toolchain.go_version = "go1.21.3";
    o.toolchain.comments = {"GCC: (GNU) 4.8.5 20150623 (Red Hat 4.8.5-44)", "\x01"};
  }
  std::string out;
  facts::append_json(out, o);
  CHECK(out == nlohmann_dump(nlohmann::json(o)));
}
