// decompress(): each format reproduces the original bytes, the cap is exact (size passes,
// size - 1 does not), and cut streams are reported as corrupt.
#include "collect/kmod/decompress.hpp"

#include <lzma.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <vector>

#include "kmod_support.hpp"

using namespace premigrate::collect::kmod;

namespace {
std::vector<unsigned char> slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("compression is recognised by magic bytes") {
  const unsigned char xz[] = {0xfd, '7', 'z', 'X', 'Z', 0x00, 0};
  const unsigned char zst[] = {0x28, 0xb5, 0x2f, 0xfd};
  const unsigned char gz[] = {0x1f, 0x8b, 8};
  const unsigned char elf[] = {0x7f, 'E', 'L', 'F'};
  CHECK(detect_compression(xz, sizeof xz) == Compression::kXz);
  CHECK(detect_compression(zst, sizeof zst) == Compression::kZstd);
  CHECK(detect_compression(gz, sizeof gz) == Compression::kGzip);
  CHECK(detect_compression(elf, sizeof elf) == Compression::kNone);
  CHECK(detect_compression(xz, 3) == Compression::kNone);
  CHECK(to_string(Compression::kZstd) == "zst");
}

TEST_CASE("each format round-trips and the cap is exact") {
  auto plain_path = premigrate::test::kmod_fixture("fake.ko");
  const auto plain = slurp(*plain_path);
  REQUIRE(plain.size() > 100);
  for (auto [suffix, c] : {std::pair{"xz", Compression::kXz}, std::pair{"zst", Compression::kZstd},
                           std::pair{"gz", Compression::kGzip}}) {
    auto p = premigrate::test::kmod_fixture(std::string("fake.ko.") + suffix);
    if (!p) continue;
    INFO(suffix);
    const auto packed = slurp(*p);
    auto at_cap = decompress(c, packed.data(), packed.size(), plain.size());
    CHECK(at_cap.status == DecompressStatus::kOk);
    CHECK(at_cap.bytes == plain);
    auto under = decompress(c, packed.data(), packed.size(), plain.size() - 1);
    CHECK(under.status == DecompressStatus::kTooLarge);
    CHECK(under.bytes.size() <= plain.size());
    auto cut = decompress(c, packed.data(), packed.size() / 2, plain.size() * 2);
    CHECK(cut.status == DecompressStatus::kCorrupt);
    CHECK_FALSE(cut.message.empty());
  }
}

TEST_CASE("a decompression past its deadline stops with kTimeout, whatever the format") {
  // A small bomb: 256 MiB of zeros packs into a few kB in every format; with a deadline that
  // has already passed, the decoder stops after its first 4 MiB step instead of finishing.
  const std::vector<unsigned char> zeros(std::size_t{256} << 20, 0);
  const auto past = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  std::vector<unsigned char> zst(ZSTD_compressBound(zeros.size()));
  zst.resize(ZSTD_compress(zst.data(), zst.size(), zeros.data(), zeros.size(), 1));
  REQUIRE_FALSE(ZSTD_isError(zst.size()));
  std::vector<unsigned char> xz(lzma_stream_buffer_bound(zeros.size()));
  std::size_t xz_size = 0;
  REQUIRE(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC32, nullptr, zeros.data(), zeros.size(),
                                  xz.data(), &xz_size, xz.size()) == LZMA_OK);
  xz.resize(xz_size);
  for (auto [packed, c] : {std::pair{&zst, Compression::kZstd}, std::pair{&xz, Compression::kXz}}) {
    CAPTURE(to_string(c));
    const auto full = decompress(c, packed->data(), packed->size(), zeros.size());
    CHECK(full.status == DecompressStatus::kOk);
    const auto stopped = decompress(c, packed->data(), packed->size(), zeros.size(), past);
    CHECK(stopped.status == DecompressStatus::kTimeout);
    CHECK(stopped.bytes.size() <= (std::size_t{4} << 20));
  }
}
