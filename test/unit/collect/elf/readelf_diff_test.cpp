// Differential test: for a deterministic sample of this machine's ELF files and for every
// ELF file in the real CentOS 7 rpms, read_elf() agrees with binutils readelf on needed,
// soname, version needs and undefined dynamic symbols (names and versions).
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "elf_test_support.hpp"
#include "readelf_output.hpp"
#include "support/skip.hpp"

namespace fs = std::filesystem;
using premigrate::core::Diagnostics;

namespace {

bool is_elf_file(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(p, ec))) return false;
  std::ifstream in(p, std::ios::binary);
  unsigned char magic[4] = {};
  in.read(reinterpret_cast<char*>(magic), 4);
  return in.gcount() == 4 && premigrate::collect::elf::has_elf_magic(magic, 4);
}

// Compares one file; returns "" when both agree, else a description of the first difference.
std::string compare(const fs::path& file) {
  Diagnostics diags;
  auto ours = premigrate::test::read_file(file, file.string(), diags);
  auto theirs = premigrate::test::run_readelf(file);
  if (!theirs) return "readelf failed";
  if (!ours) return "read_elf gave nullopt";
  std::ostringstream why;
  if (ours->needed != theirs->needed) why << "needed differs; ";
  if (ours->soname != theirs->soname) why << "soname " << ours->soname << " vs " << theirs->soname;
  if (ours->verneed != theirs->verneed) why << "verneed differs; ";
  std::set<std::pair<std::string, std::string>> undef;
  for (const auto& s : ours->undefined) undef.insert({s.name.str(), s.version.str()});
  if (undef != theirs->undefined) {
    why << "undefined differs:";
    for (const auto& u : undef) {
      if (!theirs->undefined.count(u)) why << " +" << u.first << "@" << u.second;
    }
    for (const auto& u : theirs->undefined) {
      if (!undef.count(u)) why << " -" << u.first << "@" << u.second;
    }
  }
  return why.str();
}

std::vector<fs::path> elf_files_in(const fs::path& dir, bool recursive) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (is_elf_file(it->path())) out.push_back(it->path());
    }
  } else {
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
      if (is_elf_file(it->path())) out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("agrees with readelf on a sample of this machine's libraries and programs") {
  if (!premigrate::test::have_readelf()) {
    PREMIGRATE_SKIP("readelf (binutils) not found");
  }
  std::vector<fs::path> sample;
  for (const char* dir : {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/bin"}) {
    auto files = elf_files_in(dir, false);
    // Every k-th file: 20 per directory, spread over the sorted listing.
    const std::size_t step = std::max<std::size_t>(1, files.size() / 20);
    for (std::size_t i = 0; i < files.size() && i / step < 20; i += step) {
      sample.push_back(files[i]);
    }
  }
  REQUIRE(sample.size() >= 20);
  for (const auto& f : sample) {
    INFO(f.string());
    CHECK(compare(f) == "");
  }
}

TEST_CASE("agrees with readelf on every ELF file in the CentOS 7 rpms") {
  const fs::path dir = PREMIGRATE_EL7_FIXTURES;
  if (fs::exists(dir / "SKIPPED")) {
    std::ifstream in(dir / "SKIPPED");
    std::string why((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    PREMIGRATE_SKIP(why);
  }
  if (!premigrate::test::have_readelf()) {
    PREMIGRATE_SKIP("readelf (binutils) not found");
  }
  auto files = elf_files_in(dir / "root", true);
  REQUIRE(files.size() >= 20);
  std::size_t with_verneed = 0;
  for (const auto& f : files) {
    INFO(f.string());
    CHECK(compare(f) == "");
    Diagnostics diags;
    auto obj = premigrate::test::read_file(f, "/x", diags);
    if (obj && !obj->verneed.empty()) ++with_verneed;
  }
  CHECK(with_verneed > 10);
}
