// Export-list importers (kb/export_importers.hpp) on hand-written inputs of every format, the
// export index of a pack, and the real upstream files of ../shared/kb-sources/exports.
#include "kb/export_importers.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "kb/exports.hpp"
#include "support/skip.hpp"
#include "test_util.hpp"

using namespace premigrate::kb;
namespace t = premigrate::kb::test;
namespace imp = premigrate::kb::importers;

namespace {

imp::ExportList parse(const std::string& format, const std::string& text,
                      const std::string& soname = "libx.so.1", imp::ExportListOptions o = {}) {
  const auto dir = t::scratch("exports");
  o.format = format;
  return imp::import_export_list({t::write(dir / "in", text)}, soname, o);
}

bool has(const imp::ExportList& l, const std::string& version, const std::string& name) {
  return std::binary_search(l.symbols.begin(), l.symbols.end(), std::make_pair(version, name));
}

bool node(const imp::ExportList& l, const std::string& n) {
  return std::binary_search(l.nodes.begin(), l.nodes.end(), n);
}

}  // namespace

TEST_CASE("glibc abilists in the old (2.17) and new formats", "[kb][exports]") {
  const auto old = parse("glibc-abilist",
                         "GLIBC_2.2.5\n GLIBC_2.2.5 A\n _Exit F\n sys_errlist D 0x438\n"
                         "GLIBC_2.17\n GLIBC_2.17 A\n clock_gettime F\n");
  CHECK(node(old, "GLIBC_2.2.5"));
  CHECK(node(old, "GLIBC_2.17"));
  CHECK(has(old, "GLIBC_2.2.5", "_Exit"));
  CHECK(has(old, "GLIBC_2.2.5", "sys_errlist"));
  CHECK(has(old, "GLIBC_2.17", "clock_gettime"));
  CHECK_FALSE(has(old, "GLIBC_2.2.5", "GLIBC_2.2.5"));  // the "A" line names the node only
  const auto neu = parse("glibc-abilist",
                         "GLIBC_2.2.5 __libc_start_main F\nGLIBC_2.34 __libc_start_main F\n"
                         "GLIBC_2.12 sys_errlist D 0x438\n");
  CHECK(has(neu, "GLIBC_2.34", "__libc_start_main"));
  CHECK(has(neu, "GLIBC_2.2.5", "__libc_start_main"));  // compat versions are kept
  CHECK(neu.nodes == std::vector<std::string>{"GLIBC_2.12", "GLIBC_2.2.5", "GLIBC_2.34"});
  CHECK_THROWS_WITH(parse("glibc-abilist", " _Exit F\n"), Catch::Contains(":1:"));
}

TEST_CASE("OpenSSL .num: NOEXIST rows skipped, 1.1 and 3.x node names, 1.0.2 unversioned",
          "[kb][exports]") {
  const auto v11 = parse("openssl-num",
                         "SSL_new 1 1_1_0 EXIST::FUNCTION:\n"
                         "SSL_CTX_use_gm_cert 2 1_1_1wa EXIST::FUNCTION:TLCP\n"
                         "SSL_retired 3 1_1_0 NOEXIST::FUNCTION:\n");
  CHECK(has(v11, "OPENSSL_1_1_0", "SSL_new"));
  CHECK(has(v11, "OPENSSL_1_1_1wa", "SSL_CTX_use_gm_cert"));
  CHECK_FALSE(has(v11, "OPENSSL_1_1_0", "SSL_retired"));
  CHECK(v11.nodes == std::vector<std::string>{"OPENSSL_1_1_0", "OPENSSL_1_1_1wa"});
  const auto v3 = parse("openssl-num",
                        "SSL_CTX_new_ex 516 3_0_0 EXIST::FUNCTION:\n"
                        "X 2 3_0_8 EXIST::FUNCTION:\n");
  CHECK(has(v3, "OPENSSL_3.0.0", "SSL_CTX_new_ex"));
  CHECK(node(v3, "OPENSSL_3.0.8"));
  const auto v10 = parse("openssl-num", "SSL_new 12 EXIST::FUNCTION:\n");
  CHECK(has(v10, "", "SSL_new"));
  CHECK(v10.nodes.empty());
  CHECK_THROWS_WITH(parse("openssl-num", "SSL_new 12 1_1_0 MAYBE\n"), Catch::Contains(":1:"));
}

TEST_CASE("libstdc++ baseline_symbols.txt: default, compat and node lines", "[kb][exports]") {
  const auto b = parse("libstdcxx-baseline",
                       "FUNC:_ZNSt6thread6_StateD0Ev@@GLIBCXX_3.4.22\n"
                       "OBJECT:24:_ZTISt9exception@@GLIBCXX_3.4\n"
                       "FUNC:_ZNKSbIwE11_M_disjunctEPKw@GLIBCXX_3.4\n"
                       "OBJECT:0:GLIBCXX_3.4.30\n");
  CHECK(has(b, "GLIBCXX_3.4.22", "_ZNSt6thread6_StateD0Ev"));
  CHECK(has(b, "GLIBCXX_3.4", "_ZTISt9exception"));
  CHECK(has(b, "GLIBCXX_3.4", "_ZNKSbIwE11_M_disjunctEPKw"));
  CHECK(node(b, "GLIBCXX_3.4.30"));
  CHECK(b.symbols.size() == 3);
}

TEST_CASE("GNU version scripts: globals, locals, parents, comments, globs", "[kb][exports]") {
  const auto z = parse("version-script",
                       "/* zlib */\nZLIB_1.2.0 {\n  global:\n    compressBound;\n"
                       "    deflateBound;\n  local:\n    deflate_copyright;\n    *;\n};\n"
                       "# a comment line\nZLIB_1.2.9 {\n  inflateCodesUsed;\n} ZLIB_1.2.0;\n");
  CHECK(has(z, "ZLIB_1.2.0", "compressBound"));
  CHECK(has(z, "ZLIB_1.2.9", "inflateCodesUsed"));
  CHECK_FALSE(has(z, "ZLIB_1.2.0", "deflate_copyright"));
  CHECK(z.nodes == std::vector<std::string>{"ZLIB_1.2.0", "ZLIB_1.2.9"});
  CHECK(z.versioned_exact);
  CHECK(z.unversioned_exact);  // "local: *": nothing else is exported
  const auto g = parse("version-script", "V_1 { global: a_*; b; };\n");
  CHECK_FALSE(g.versioned_exact);  // a glob the importer cannot expand: absence is not proof
  const auto open = parse("version-script", "V_1 { global: b; local: _*; };\n");
  CHECK(open.versioned_exact);
  CHECK_FALSE(open.unversioned_exact);  // unlisted globals stay at the base version (zlib)
  CHECK(has(g, "V_1", "b"));
  CHECK_THROWS(parse("version-script", "V_1 { global: a;\n"));
}

TEST_CASE("libgcc mkmap input: %ifdef/%ifndef, %exclude, %inherit, __PFX__", "[kb][exports]") {
  imp::ExportListOptions o;
  o.defines = {"__x86_64__"};
  const auto l = parse("version-script",
                       "GCC_3.0 {\n  __PFX__addvsi3\n  __divdi3\n}\n"
                       "%ifndef __x86_64__\n%exclude {\n  __divdi3\n}\n%inherit GCC_3.0 GLIBC_2.0\n"
                       "GLIBC_2.0 {\n  __divdi3\n}\n%endif\n"
                       "%ifdef __x86_64__\nGCC_4.3.0 {\n  __bswapdi2\n}\n%else\nGCC_9 {\n  x\n}\n"
                       "%endif\n",
                       "libgcc_s.so.1", o);
  CHECK(has(l, "GCC_3.0", "__addvsi3"));
  CHECK(has(l, "GCC_3.0", "__divdi3"));  // the i386 %exclude block is not active on x86_64
  CHECK(has(l, "GCC_4.3.0", "__bswapdi2"));
  CHECK_FALSE(node(l, "GLIBC_2.0"));
  CHECK_FALSE(node(l, "GCC_9"));
  o.defines.clear();
  const auto i386 = parse("version-script",
                          "GCC_3.0 {\n  __divdi3\n  __addvsi3\n}\n%ifndef __x86_64__\n"
                          "%exclude {\n  __divdi3\n}\n%endif\n",
                          "libgcc_s.so.1", o);
  CHECK_FALSE(has(i386, "GCC_3.0", "__divdi3"));
  CHECK(has(i386, "GCC_3.0", "__addvsi3"));
}

TEST_CASE("libxcrypt maps and krb5 export lists", "[kb][exports]") {
  imp::ExportListOptions o;
  o.glibc_minver = "GLIBC_2.2.5";
  const auto x = parse("libxcrypt-map",
                       "crypt XCRYPT_2.0 GLIBC_2.0\n"
                       "crypt_rn XCRYPT_2.0 GLIBC_2.0:owl:suse\n"
                       "crypt_checksalt XCRYPT_4.3\n"
                       "xcrypt - XCRYPT_2.0\n%chain GLIBC_2.0 GLIBC_2.2.5\n",
                       "libcrypt.so.1", o);
  CHECK(has(x, "XCRYPT_2.0", "crypt"));
  CHECK(has(x, "GLIBC_2.2.5", "crypt"));           // raised to the x86_64 minimum
  CHECK_FALSE(has(x, "GLIBC_2.2.5", "crypt_rn"));  // owl/suse only
  CHECK(has(x, "XCRYPT_4.3", "crypt_checksalt"));
  CHECK(has(x, "XCRYPT_2.0", "xcrypt"));
  CHECK_FALSE(node(x, "GLIBC_2.0"));
  const auto k = parse("krb5-exports", "krb5_init_context\nkrb5_free_context\n", "libkrb5.so.3");
  CHECK(has(k, "krb5_3_MIT", "krb5_init_context"));
  const auto g = parse("krb5-exports", "gss_init_sec_context\n", "libgssapi_krb5.so.2");
  CHECK(node(g, "gssapi_krb5_2_MIT"));
  CHECK_THROWS_AS(parse("krb5-exports", "x\n", "weird"), premigrate::core::RunError);
  CHECK_THROWS_AS(parse("no-such-format", "x\n"), premigrate::core::RunError);
}

TEST_CASE("the export index of a pack answers nodes and symbols per soname", "[kb][exports]") {
  const auto pack = nlohmann::json::parse(R"({
    "export_libraries": [["libc.so.6", "glibc", "2.34", "complete", ["GLIBC_2.2.5", "GLIBC_2.34"], false, 0]],
    "export_symbols": [["libc.so.6", "GLIBC_2.2.5", "puts"], ["libc.so.6", "GLIBC_2.34", "__libc_start_main"]]})");
  const auto x = ExportIndex::from_pack(pack, "p.json", 1);
  REQUIRE(x.library("libc.so.6"));
  CHECK(x.library("libc.so.6")->unversioned_complete);
  CHECK_FALSE(x.library("libm.so.6"));
  CHECK(x.defines_node("libc.so.6", "GLIBC_2.34"));
  CHECK_FALSE(x.defines_node("libc.so.6", "GLIBC_2.38"));
  CHECK(x.exports_symbol("libc.so.6", "puts", "GLIBC_2.2.5"));
  CHECK(x.exports_symbol("libc.so.6", "puts", ""));  // unversioned binds to any (default)
  CHECK_FALSE(x.exports_symbol("libc.so.6", "puts", "GLIBC_2.34"));
  CHECK(x.symbol_count() == 2);
  auto bad = pack;
  bad["export_libraries"][0][6] = 3;
  CHECK_THROWS_WITH(ExportIndex::from_pack(bad, "p.json", 1), Catch::Contains("dataset 3"));
  bad = pack;
  bad["export_symbols"][0][0] = "libm.so.6";
  CHECK_THROWS_WITH(ExportIndex::from_pack(bad, "p.json", 1),
                    Catch::Contains("no export_libraries row"));
}

TEST_CASE("real upstream export lists of kb-sources", "[kb][exports][shared]") {
  if (!t::have_sources()) {
    PREMIGRATE_SKIP(t::kb_sources() << " not present");
  }
  const auto ex = t::kb_sources() / "exports";
  imp::ExportListOptions o;
  o.format = "glibc-abilist";
  const auto c234 =
      imp::import_export_list({ex / "glibc/2.34/x86_64/libc.abilist"}, "libc.so.6", o);
  CHECK(has(c234, "GLIBC_2.34", "__libc_start_main"));
  CHECK(has(c234, "GLIBC_2.34", "pthread_create"));
  CHECK_FALSE(node(c234, "GLIBC_2.35"));
  const auto c217 =
      imp::import_export_list({ex / "glibc/2.17/x86_64/libc.abilist"}, "libc.so.6", o);
  CHECK(has(c217, "GLIBC_2.2.5", "__libc_start_main"));
  CHECK_FALSE(node(c217, "GLIBC_2.18"));
  o.format = "openssl-num";
  const auto wa =
      imp::import_export_list({ex / "openssl/1.1.1wa/noarch/libssl.num"}, "libssl.so.1.1", o);
  CHECK(node(wa, "OPENSSL_1_1_1wa"));
  CHECK(has(wa, "OPENSSL_1_1_0", "OPENSSL_init_ssl"));
  const auto w =
      imp::import_export_list({ex / "openssl/1.1.1w/noarch/libssl.num"}, "libssl.so.1.1", o);
  CHECK_FALSE(node(w, "OPENSSL_1_1_1wa"));
  const auto v3 =
      imp::import_export_list({ex / "openssl/3.0.12/noarch/libssl.num"}, "libssl.so.3", o);
  CHECK(has(v3, "OPENSSL_3.0.0", "SSL_CTX_new_ex"));
  CHECK_FALSE(has(v3, "OPENSSL_3.0.0", "SSL_get_peer_certificate"));  // NOEXIST in 3.0
  o.format = "libstdcxx-baseline";
  const auto s12 = imp::import_export_list({ex / "libstdc++/12.3.1/x86_64/baseline_symbols.txt"},
                                           "libstdc++.so.6", o);
  CHECK(node(s12, "GLIBCXX_3.4.30"));
  CHECK(node(s12, "CXXABI_1.3.13"));
  const auto s10 = imp::import_export_list({ex / "libstdc++/10.3.1/x86_64/baseline_symbols.txt"},
                                           "libstdc++.so.6", o);
  CHECK(node(s10, "GLIBCXX_3.4.28"));
  CHECK_FALSE(node(s10, "GLIBCXX_3.4.29"));
  o.format = "version-script";
  o.defines = {"__x86_64__"};
  const auto gcc = imp::import_export_list(
      {ex / "libgcc/12.3.1/noarch/libgcc-std.ver.in", ex / "libgcc/12.3.1/x86_64/libgcc-glibc.ver"},
      "libgcc_s.so.1", o);
  CHECK(node(gcc, "GCC_3.0"));
  CHECK(node(gcc, "GCC_12.0.0"));
  CHECK_FALSE(node(gcc, "GLIBC_2.0"));
  CHECK(has(gcc, "GCC_3.0", "__addvsi3"));  // __PFX__addvsi3
  CHECK(has(gcc, "GCC_7.0.0", "__divmodti4"));
  const auto ffi =
      imp::import_export_list({ex / "libffi/3.4.2/noarch/libffi.map.in"}, "libffi.so.8", o);
  CHECK(has(ffi, "LIBFFI_CLOSURE_8.0", "ffi_closure_alloc"));
  const auto xz =
      imp::import_export_list({ex / "xz/5.4.4/noarch/liblzma_linux.map"}, "liblzma.so.5", o);
  CHECK(node(xz, "XZ_5.2.2"));
  CHECK(node(xz, "XZ_5.4"));
}
