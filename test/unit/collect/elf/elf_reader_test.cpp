// read_elf() on fixtures built from C sources and yaml2obj: sonames, versions, symbols, paths,
// machines, PIE/static/stripped and toolchain hints.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "core/temp_dir.hpp"
#include "elf_test_support.hpp"
#include "facts/elf_json.hpp"
#include "support/skip.hpp"

using premigrate::core::Diagnostics;
using premigrate::facts::ElfSymbol;
using premigrate::facts::VersionNeed;
using premigrate::test::contains;
using premigrate::test::elf_fixture;
using premigrate::test::read_file;

namespace {
const char* host_machine() {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__aarch64__)
  return "aarch64";
#else
  return nullptr;
#endif
}
}  // namespace

TEST_CASE("a versioned library: soname, version definitions and exported symbols") {
  auto p = elf_fixture("lib/libssl.so.10");
  Diagnostics diags;
  auto obj = read_file(*p, "/usr/lib64/libssl.so.10", diags);
  REQUIRE(obj);
  CHECK(diags.size() == 0);
  CHECK(obj->path == "/usr/lib64/libssl.so.10");
  CHECK(obj->soname == "libssl.so.10");
  CHECK(obj->type == "dyn");
  CHECK(obj->elf_class == 64);
  CHECK(obj->data == "lsb");
  CHECK(obj->osabi == "SYSV");
  if (host_machine() != nullptr) CHECK(obj->machine == host_machine());
  CHECK_FALSE(obj->is_pie);
  CHECK_FALSE(obj->is_static);
  CHECK(obj->verdef == std::vector<std::string>{"OPENSSL_1.0.1", "OPENSSL_1.0.1_EC"});
  CHECK(obj->exported == std::vector<ElfSymbol>{
                             {"EC_KEY_new", "OPENSSL_1.0.1_EC", "", false},
                             {"SSL_CTX_new", "OPENSSL_1.0.1", "", false},
                             {"SSL_library_init", "OPENSSL_1.0.1", "", false},
                             {"SSL_weak_hook", "OPENSSL_1.0.1", "", true},
                         });
  CHECK(obj->needed == std::vector<std::string>{"libc.so.6"});
  CHECK(contains(obj->undefined, ElfSymbol{"getenv", "GLIBC_2.2.5", "libc.so.6"}));
}

TEST_CASE("a program: needed in DT order, RPATH, version needs, versioned undefined symbols") {
  auto p = elf_fixture("bin/prog");
  Diagnostics diags;
  auto obj = read_file(*p, "/opt/app/bin/prog", diags);
  REQUIRE(obj);
  CHECK(diags.size() == 0);
  CHECK(obj->needed == std::vector<std::string>{"libssl.so.10", "libc.so.6"});
  CHECK(obj->rpath == std::vector<std::string>{"$ORIGIN/../lib"});
  CHECK(obj->runpath.empty());
  CHECK(obj->soname.empty());
  REQUIRE(obj->verneed.size() == 2);
  CHECK(obj->verneed[0].file == "libssl.so.10");
  std::vector<std::string> ssl = obj->verneed[0].versions;
  std::sort(ssl.begin(), ssl.end());
  CHECK(ssl == std::vector<std::string>{"OPENSSL_1.0.1", "OPENSSL_1.0.1_EC"});
  CHECK(obj->verneed[1].file == "libc.so.6");
  CHECK(contains(obj->undefined, ElfSymbol{"SSL_library_init", "OPENSSL_1.0.1", "libssl.so.10"}));
  CHECK(contains(obj->undefined, ElfSymbol{"EC_KEY_new", "OPENSSL_1.0.1_EC", "libssl.so.10"}));
  CHECK(contains(obj->undefined, ElfSymbol{"printf", "GLIBC_2.2.5", "libc.so.6"}));
  CHECK(contains(obj->undefined, ElfSymbol{"optional_hook", "", "", true}));
  CHECK(std::is_sorted(obj->undefined.begin(), obj->undefined.end(),
                       [](const ElfSymbol& a, const ElfSymbol& b) { return a.name < b.name; }));
  CHECK(obj->exported.empty());  // a PIE program is not a library
  CHECK(obj->is_pie);
  CHECK_FALSE(obj->is_static);
  CHECK_FALSE(obj->stripped);
  CHECK(obj->interp.rfind("/lib", 0) == 0);
  CHECK(obj->type == "dyn");
}

TEST_CASE("RUNPATH is split on ':' and $ORIGIN stays symbolic") {
  auto p = elf_fixture("bin/prog_runpath");
  Diagnostics diags;
  auto obj = read_file(*p, "/opt/app/bin/prog_runpath", diags);
  REQUIRE(obj);
  CHECK(obj->runpath == std::vector<std::string>{"$ORIGIN/../lib", "/opt/vendor/lib"});
  CHECK(obj->rpath.empty());
}

TEST_CASE("non-PIE, static and stripped executables") {
  Diagnostics diags;
  if (auto p = elf_fixture("bin/hello_nopie")) {
    auto obj = read_file(*p, "/bin/hello_nopie", diags);
    REQUIRE(obj);
    CHECK(obj->type == "exec");
    CHECK_FALSE(obj->is_pie);
    CHECK_FALSE(obj->is_static);
    CHECK(obj->needed == std::vector<std::string>{"libc.so.6"});
  }
  if (auto p = elf_fixture("bin/hello_static")) {
    auto obj = read_file(*p, "/bin/hello_static", diags);
    REQUIRE(obj);
    CHECK(obj->is_static);
    CHECK(obj->needed.empty());
    CHECK(obj->interp.empty());
    CHECK(obj->undefined.empty());
  }
  if (auto p = elf_fixture("bin/hello_stripped")) {
    auto obj = read_file(*p, "/bin/hello_stripped", diags);
    REQUIRE(obj);
    CHECK(obj->stripped);
    CHECK(obj->is_pie);
  }
  if (auto p = elf_fixture("bin/hello_pie")) {
    auto obj = read_file(*p, "/bin/hello_pie", diags);
    REQUIRE(obj);
    CHECK_FALSE(obj->stripped);
  }
  CHECK(diags.size() == 0);
}

TEST_CASE("toolchain hints: Go build ID note, Go buildinfo version, .comment") {
  auto p = elf_fixture("bin/go_hint");
  Diagnostics diags;
  auto obj = read_file(*p, "/usr/bin/go_hint", diags);
  REQUIRE(obj);
  CHECK(diags.size() == 0);
  CHECK(obj->toolchain.go_buildid == "buildid-0123");
  CHECK(obj->toolchain.go_version == "go1.21.3");
  REQUIRE_FALSE(obj->toolchain.comments.empty());
  CHECK(obj->toolchain.comments[0].rfind("GCC:", 0) == 0);
}

TEST_CASE("toolchain hints: pre-1.18 Go buildinfo with pointers to the version string") {
  auto p = elf_fixture("bin/go_old");
  Diagnostics diags;
  auto obj = read_file(*p, "/usr/bin/go_old", diags);
  REQUIRE(obj);
  CHECK(diags.size() == 0);
  CHECK(obj->toolchain.go_version == "go1.16.15");
  CHECK(obj->toolchain.go_buildid.empty());
}

TEST_CASE("other machines, classes and byte orders from yaml2obj") {
  Diagnostics diags;
  if (auto p = elf_fixture("obj/aarch64.o")) {
    auto obj = read_file(*p, "/a.o", diags);
    REQUIRE(obj);
    CHECK(obj->machine == "aarch64");
    CHECK(obj->type == "rel");
    CHECK(obj->elf_class == 64);
    CHECK_FALSE(obj->is_static);
    CHECK_FALSE(obj->stripped);
  }
  if (auto p = elf_fixture("obj/i386.o")) {
    auto obj = read_file(*p, "/i.o", diags);
    REQUIRE(obj);
    CHECK(obj->machine == "i386");
    CHECK(obj->elf_class == 32);
    CHECK(obj->data == "lsb");
  }
  if (auto p = elf_fixture("obj/s390x_dyn.o")) {
    auto obj = read_file(*p, "/s.so", diags);
    REQUIRE(obj);
    CHECK(obj->machine == "s390x");
    CHECK(obj->data == "msb");
    CHECK(obj->needed == std::vector<std::string>{"libc.so.6"});
    CHECK(obj->soname == "libz390.so.1");
  }
  CHECK(diags.size() == 0);
}

TEST_CASE("concurrent readers get identical facts") {
  auto p = elf_fixture("bin/prog");
  Diagnostics diags;
  auto expected = read_file(*p, "/p", diags);
  REQUIRE(expected);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        int fd = ::open(p->c_str(), O_RDONLY | O_CLOEXEC);
        auto got = premigrate::collect::elf::read_elf(fd, "/p", diags);
        ::close(fd);
        if (!got || got->undefined != expected->undefined || got->needed != expected->needed) {
          ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(mismatches == std::vector<int>(4, 0));
  CHECK(diags.size() == 0);
}

TEST_CASE("an object with more dynamic symbols than the cap is read capped, with a diagnostic") {
  // 300,000 exported functions (over the 262,144 kept), assembled and linked here.
  premigrate::core::TempDir tmp;
  const auto src = tmp.path() / "many.s";
  {
    std::ofstream s(src);
    s << ".text\n";
    for (int i = 0; i < 300000; ++i) s << ".globl f" << i << "\nf" << i << ": ret\n";
  }
  const auto lib = tmp.path() / "libmany.so";
  const std::string cmd = "as " + src.string() + " -o " + (tmp.path() / "many.o").string() +
                          " 2>/dev/null && ld -shared -o " + lib.string() + " " +
                          (tmp.path() / "many.o").string() + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) {
    PREMIGRATE_SKIP("binutils (as, ld) cannot build the test object here");
  }
  Diagnostics diags;
  const auto o = read_file(lib, "/opt/lib/libmany.so", diags);
  REQUIRE(o);
  CHECK(o->symbols_capped);
  CHECK(o->exported.size() < 300000);
  CHECK(o->exported.size() >= 262000);
  const auto d = premigrate::test::find_diag(diags, "elf.symbols_capped");
  REQUIRE(d);
  CHECK(d->path == "/opt/lib/libmany.so");
  CHECK(d->message.find("300001 dynamic symbols") != std::string::npos);
}

// The reader takes a small file whole in one read, a mid-size one section by section and maps a
// large one (elf_reader.cpp: 64 KiB and 1 MiB). The same object, padded with zeros past its
// last byte into each size class, must give the same facts and the same diagnostics each way.
TEST_CASE("an object read whole, section by section or mapped gives the same facts") {
  premigrate::core::TempDir tmp;
  // Damaged objects whose damage lies inside the file, so that padding does not change it.
  for (const char* fixture : {"bin/prog", "lib/libssl.so.10", "bad/bad_dynstr.o",
                              "bad/bad_verneed.o", "bad/bad_gobuildinfo.o"}) {
    const auto p = elf_fixture(fixture);
    if (!p) continue;
    REQUIRE(std::filesystem::file_size(*p) <= std::uintmax_t{64} * 1024);  // read whole as it is
    std::vector<std::string> facts;
    std::vector<std::vector<std::string>> diagnostics;
    // As it is and at exactly 64 KiB (read whole), one byte over and 200 KiB (section by
    // section), 1.5 MiB (mapped).
    for (const std::uintmax_t size :
         {std::uintmax_t{0}, std::uintmax_t{64} * 1024, std::uintmax_t{64} * 1024 + 1,
          std::uintmax_t{200} * 1024, std::uintmax_t{1536} * 1024}) {
      const auto copy = tmp.path() / ("copy-" + std::to_string(size));
      std::filesystem::copy_file(*p, copy, std::filesystem::copy_options::overwrite_existing);
      if (size != 0) std::filesystem::resize_file(copy, size);
      Diagnostics diags;
      const auto o = read_file(copy, "/opt/object", diags);
      REQUIRE(o);
      facts.emplace_back();
      premigrate::facts::append_json(facts.back(), *o);
      diagnostics.emplace_back();
      for (const auto& d : diags.sorted())
        diagnostics.back().push_back(d.code + " " + d.where + " " + d.message);
    }
    INFO(fixture);
    for (std::size_t i = 1; i < facts.size(); ++i) {
      CHECK(facts[i] == facts[0]);
      CHECK(diagnostics[i] == diagnostics[0]);
    }
    // Read as what it is: the linked ones need libc; the damage of the others was reported.
    if (std::string(fixture).rfind("bad/", 0) == 0)
      CHECK_FALSE(diagnostics[0].empty());
    else
      CHECK(facts[0].find("libc.so.6") != std::string::npos);
  }
}
