// Malformed, truncated and hostile ELF input: each case must name its diagnostic and the
// path, and give partial facts or nullopt, never a crash (run this under ASan/UBSan too).
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "elf_test_support.hpp"

using premigrate::core::Diagnostics;
using premigrate::test::elf_fixture;
using premigrate::test::find_diag;
using premigrate::test::read_file;

TEST_CASE("has_elf_magic needs all four magic bytes") {
  const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2};
  const unsigned char not_elf[] = {0x7f, 'E', 'L', 'G'};
  CHECK(premigrate::collect::elf::has_elf_magic(elf, sizeof elf));
  CHECK_FALSE(premigrate::collect::elf::has_elf_magic(elf, 3));
  CHECK_FALSE(premigrate::collect::elf::has_elf_magic(not_elf, sizeof not_elf));
  CHECK_FALSE(premigrate::collect::elf::has_elf_magic(nullptr, 0));
}

TEST_CASE("an empty file is not ELF") {
  auto p = elf_fixture("bad/empty");
  Diagnostics diags;
  CHECK_FALSE(read_file(*p, "/opt/empty", diags));
  auto d = find_diag(diags, "elf.not_elf");
  REQUIRE(d);
  CHECK(d->path == "/opt/empty");
}

TEST_CASE("a file holding only the magic is truncated inside the identification") {
  auto p = elf_fixture("bad/magic_only");
  Diagnostics diags;
  CHECK_FALSE(read_file(*p, "/opt/magic", diags));
  auto d = find_diag(diags, "elf.truncated");
  REQUIRE(d);
  CHECK(d->path == "/opt/magic");
  CHECK(d->where == "offset 0x4");
}

TEST_CASE("a file cut inside the ELF header gives nullopt") {
  auto p = elf_fixture("bad/truncated_header");
  Diagnostics diags;
  CHECK_FALSE(read_file(*p, "/opt/th", diags));
  auto d = find_diag(diags, "elf.truncated");
  REQUIRE(d);
  CHECK(d->path == "/opt/th");
  CHECK(d->where == "offset 0x28");
}

TEST_CASE("a file cut after its program headers gives partial facts") {
  auto p = elf_fixture("bad/truncated");
  Diagnostics diags;
  auto obj = read_file(*p, "/opt/trunc", diags);
  REQUIRE(obj);
  CHECK(obj->elf_class == 64);
  CHECK(obj->type == "dyn");
  CHECK_FALSE(obj->interp.empty());  // PT_INTERP sits inside the first 1000 bytes
  auto d = find_diag(diags, "elf.bad_section_headers");
  REQUIRE(d);
  CHECK(d->path == "/opt/trunc");
  CHECK(d->where.rfind("offset 0x", 0) == 0);
}

TEST_CASE("a section header table far past the end of the file") {
  auto p = elf_fixture("bad/bad_shoff.o");
  if (!p) return;
  Diagnostics diags;
  auto obj = read_file(*p, "/opt/bad_shoff", diags);
  REQUIRE(obj);
  CHECK(obj->machine == "x86_64");
  auto d = find_diag(diags, "elf.bad_section_headers");
  REQUIRE(d);
  CHECK(d->path == "/opt/bad_shoff");
  CHECK(d->where == "offset 0xffffff00");
}

TEST_CASE("a DT_NEEDED offset outside .dynstr is reported and dropped") {
  auto p = elf_fixture("bad/bad_dynstr.o");
  if (!p) return;
  Diagnostics diags;
  auto obj = read_file(*p, "/opt/bad_dynstr", diags);
  REQUIRE(obj);
  CHECK(obj->needed == std::vector<std::string>{"libc.so.6"});
  auto d = find_diag(diags, "elf.bad_string");
  REQUIRE(d);
  CHECK(d->path == "/opt/bad_dynstr");
  CHECK(d->where == "section .dynamic");
  CHECK(d->message.find("0x99999") != std::string::npos);
}

TEST_CASE("a .dynsym whose size exceeds the file is refused, not walked") {
  auto p = elf_fixture("bad/huge_dynsym.o");
  if (!p) return;
  Diagnostics diags;
  auto obj = read_file(*p, "/opt/huge", diags);
  REQUIRE(obj);
  CHECK(obj->undefined.empty());
  auto d = find_diag(diags, "elf.bad_section");
  REQUIRE(d);
  CHECK(d->path == "/opt/huge");
  CHECK(d->where.rfind("section index", 0) == 0);
}

TEST_CASE("mutated copies of a real program never crash the reader") {
  auto p = elf_fixture("bin/prog");
  std::ifstream in(*p, std::ios::binary);
  const std::vector<char> original((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  REQUIRE(original.size() > 4096);
  const auto dir = premigrate::test::kElfFixtures / "mutated";
  std::filesystem::create_directories(dir);
  // Deterministic damage: a run of 0xff bytes at a stride through the whole file, so that
  // every header, table and section is hit by some variant.
  std::size_t read_ok = 0;
  std::size_t with_diag = 0;
  for (std::size_t variant = 0; variant < 160; ++variant) {
    std::vector<char> bytes = original;
    const std::size_t at = (variant * 131 + 16) % bytes.size();
    for (std::size_t k = 0; k < 8 && at + k < bytes.size(); ++k) bytes[at + k] = '\xff';
    const auto file = dir / ("m" + std::to_string(variant));
    std::ofstream(file, std::ios::binary).write(bytes.data(),
                                                static_cast<std::streamsize>(bytes.size()));
    Diagnostics diags;
    auto obj = read_file(file, "/m", diags);
    if (obj) ++read_ok;
    if (!obj) CHECK(diags.size() > 0);  // nullopt always comes with a reason
    if (diags.size() > 0) ++with_diag;
  }
  CHECK(read_ok > 0);
  CHECK(with_diag > 0);
}
