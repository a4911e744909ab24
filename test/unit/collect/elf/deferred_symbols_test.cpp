// Two-phase ELF collection: read_elf without symbols keeps the headers, dynamic section and
// version needs and marks the symbols pending; read_deferred_symbols then gives the object
// exactly what one full read gives, or marks it unproven when the file changed.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "elf_test_support.hpp"

using premigrate::core::Diagnostics;
using premigrate::test::elf_fixture;
using premigrate::test::find_diag;

namespace {

std::optional<premigrate::facts::ElfObject> read_without_symbols(const std::filesystem::path& p,
                                                                 const std::string& root_path,
                                                                 Diagnostics& diags) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  premigrate::collect::elf::ElfReadOptions o;
  o.symbols = false;
  auto obj = premigrate::collect::elf::read_elf(fd, root_path, diags, o);
  ::close(fd);
  return obj;
}

void complete(const std::filesystem::path& p, premigrate::facts::ElfObject& obj,
              Diagnostics& diags) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  premigrate::collect::elf::read_deferred_symbols(fd, obj, diags);
  ::close(fd);
}

}  // namespace

TEST_CASE("an object read without its symbols, then completed, equals one full read") {
  for (const char* rel : {"lib/libssl.so.10", "bin/prog"}) {
    auto p = elf_fixture(rel);
    if (!p) continue;
    Diagnostics full_diags, diags;
    auto full = premigrate::test::read_file(*p, "/opt/x", full_diags);
    auto part = read_without_symbols(*p, "/opt/x", diags);
    REQUIRE(full);
    REQUIRE(part);
    CHECK(part->symbols_pending);
    CHECK(part->undefined.empty());
    CHECK(part->exported.empty());
    // Everything but the symbols is there already.
    CHECK(part->needed == full->needed);
    CHECK(part->soname == full->soname);
    CHECK(part->verneed == full->verneed);
    CHECK(part->verdef == full->verdef);
    CHECK_FALSE(full->undefined.empty());
    complete(*p, *part, diags);
    CHECK_FALSE(part->symbols_pending);
    CHECK_FALSE(part->symbols_capped);
    CHECK(nlohmann::json(*part) == nlohmann::json(*full));
    CHECK(diags.size() == full_diags.size());
  }
}

TEST_CASE("a file that is another object at the second read leaves the symbols unproven") {
  auto lib = elf_fixture("lib/libssl.so.10");
  auto prog = elf_fixture("bin/prog");
  if (!lib || !prog) return;
  Diagnostics diags;
  auto part = read_without_symbols(*prog, "/opt/app/bin/prog", diags);
  REQUIRE(part);
  complete(*lib, *part, diags);  // a library now, where a PIE program was read
  CHECK_FALSE(part->symbols_pending);
  CHECK(part->symbols_capped);
  CHECK(part->undefined.empty());
  auto d = find_diag(diags, "elf.symbols_unread");
  REQUIRE(d);
  CHECK(d->path == "/opt/app/bin/prog");
}
