// core::decompress(): every format reproduces the original bytes, the cap is exact (size
// passes, size - 1 does not), bombs stop at the cap, cut or damaged streams are kCorrupt with a
// message, a passed deadline stops the decoder. Inputs are packed here with zlib, liblzma and
// libzstd, so the test needs no fixture.
#include "core/decompress.hpp"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

using namespace premigrate::core;

namespace {

using Bytes = std::vector<unsigned char>;

Bytes gzip_pack(const Bytes& in) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  Bytes out(deflateBound(&z, in.size()) + 64);
  z.next_in = const_cast<Bytef*>(in.data());
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  REQUIRE(rc == Z_STREAM_END);
  return out;
}

Bytes xz_pack(const Bytes& in) {
  Bytes out(lzma_stream_buffer_bound(in.size()));
  std::size_t size = 0;
  REQUIRE(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC32, nullptr, in.data(), in.size(), out.data(),
                                  &size, out.size()) == LZMA_OK);
  out.resize(size);
  return out;
}

Bytes zstd_pack(const Bytes& in) {
  Bytes out(ZSTD_compressBound(in.size()));
  const std::size_t size = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  REQUIRE(ZSTD_isError(size) == 0U);
  out.resize(size);
  return out;
}

using Packer = Bytes (*)(const Bytes&);
const std::vector<std::pair<Compression, Packer>>& formats() {
  static const std::vector<std::pair<Compression, Packer>> all = {{Compression::kGzip, gzip_pack},
                                                                  {Compression::kXz, xz_pack},
                                                                  {Compression::kZstd, zstd_pack}};
  return all;
}

// 200 kB that compress somewhat but not to nothing (a text-like pattern).
Bytes sample() {
  Bytes b;
  for (unsigned i = 0; b.size() < 200000; ++i) {
    const std::string line = "line " + std::to_string(i * 7919U % 100003U) + " of the sample\n";
    b.insert(b.end(), line.begin(), line.end());
  }
  return b;
}

Decompressed run(
    Compression c, const Bytes& in, std::size_t cap,
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max()) {
  return decompress(c, in.data(), in.size(), cap, deadline);
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
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
  CHECK(detect_compression(std::string_view("\x1f\x8b", 2)) == Compression::kGzip);
  CHECK(to_string(Compression::kZstd) == "zst");
  CHECK(to_string(Compression::kNone).empty());
}

TEST_CASE("each format round-trips and the cap is exact") {
  const Bytes plain = sample();
  for (const auto& [c, pack] : formats()) {
    CAPTURE(to_string(c));
    const Bytes packed = pack(plain);
    REQUIRE(detect_compression(packed.data(), packed.size()) == c);
    const Decompressed at_cap = run(c, packed, plain.size());
    CHECK(at_cap.ok());
    CHECK(at_cap.message.empty());
    CHECK(Bytes(at_cap.data(), at_cap.data() + at_cap.bytes.size()) == plain);
    CHECK(at_cap.input_offset == packed.size());
    const Decompressed under = run(c, packed, plain.size() - 1);
    CHECK(under.status == DecompressStatus::kTooLarge);
    CHECK(under.message ==
          "more than " + std::to_string(plain.size() - 1) + " bytes when decompressed");
    CHECK(under.bytes.size() <= plain.size());
  }
}

TEST_CASE("concatenated streams decode as one") {
  const Bytes a = sample();
  const Bytes b(1000, 'b');
  const Bytes both = concat(a, b);
  for (const auto& [c, pack] : formats()) {
    CAPTURE(to_string(c));
    const Decompressed out = run(c, concat(pack(a), pack(b)), both.size());
    CHECK(out.ok());
    CHECK(Bytes(out.data(), out.data() + out.bytes.size()) == both);
  }
}

TEST_CASE(
    "trailing bytes: ignored after the last gzip member (as gzread does), refused by xz and zstd") {
  const Bytes plain = sample();
  const Bytes junk = {'n', 'o', 't', ' ', 'a', ' ', 's', 't', 'r', 'e', 'a', 'm'};
  const Decompressed gz = run(Compression::kGzip, concat(gzip_pack(plain), junk), plain.size());
  CHECK(gz.ok());
  CHECK(gz.bytes.size() == plain.size());
  for (Compression c : {Compression::kXz, Compression::kZstd}) {
    CAPTURE(to_string(c));
    const Packer pack = c == Compression::kXz ? xz_pack : zstd_pack;
    const Decompressed out = run(c, concat(pack(plain), junk), plain.size() * 2);
    CHECK(out.status == DecompressStatus::kCorrupt);
    CHECK_FALSE(out.message.empty());
  }
}

TEST_CASE("a truncated stream is corrupt, whatever the format and wherever it is cut") {
  const Bytes plain = sample();
  for (const auto& [c, pack] : formats()) {
    CAPTURE(to_string(c));
    const Bytes packed = pack(plain);
    for (std::size_t keep : {packed.size() / 2, packed.size() - 1}) {
      CAPTURE(keep);
      const Bytes cut(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(keep));
      const Decompressed out = run(c, cut, plain.size() * 2);
      CHECK(out.status == DecompressStatus::kCorrupt);
      CHECK_FALSE(out.message.empty());
      CHECK(out.input_offset <= keep);
    }
  }
}

TEST_CASE("garbage behind a valid magic is corrupt, not a crash or an empty success") {
  Bytes garbage(4096);
  for (std::size_t i = 0; i < garbage.size(); ++i) {
    garbage[i] = static_cast<unsigned char>((i * 131U + 17U) % 251U);
  }
  const std::vector<std::pair<Compression, Bytes>> heads = {
      {Compression::kGzip, {0x1f, 0x8b}},
      {Compression::kXz, {0xfd, '7', 'z', 'X', 'Z', 0x00}},
      {Compression::kZstd, {0x28, 0xb5, 0x2f, 0xfd}}};
  for (const auto& [c, head] : heads) {
    CAPTURE(to_string(c));
    const Decompressed out = run(c, concat(head, garbage), std::size_t{1} << 20);
    CHECK(out.status == DecompressStatus::kCorrupt);
    CHECK_FALSE(out.message.empty());
  }
  const Decompressed none = run(Compression::kNone, garbage, 100);
  CHECK(none.status == DecompressStatus::kCorrupt);
  CHECK(none.message == "not a compressed stream");
}

TEST_CASE("a decompression bomb stops at the byte budget, in every format") {
  // 256 MiB of zeros packs into a few hundred kB; a 1 MiB budget stops the decoder early, and
  // the output buffer never holds more than the budget plus one byte.
  const Bytes zeros(std::size_t{256} << 20, 0);
  const std::size_t budget = std::size_t{1} << 20;
  for (const auto& [c, pack] : formats()) {
    CAPTURE(to_string(c));
    const Bytes packed = pack(zeros);
    const Decompressed out = run(c, packed, budget);
    CHECK(out.status == DecompressStatus::kTooLarge);
    CHECK(out.bytes.size() <= budget + 1);
    CHECK(out.input_offset < packed.size());
  }
}

TEST_CASE("a decompression past its deadline stops with kTimeout, in every format") {
  const Bytes zeros(std::size_t{64} << 20, 0);
  const auto past = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  for (const auto& [c, pack] : formats()) {
    CAPTURE(to_string(c));
    const Bytes packed = pack(zeros);
    CHECK(run(c, packed, zeros.size()).ok());
    const Decompressed stopped = run(c, packed, zeros.size(), past);
    CHECK(stopped.status == DecompressStatus::kTimeout);
    CHECK(stopped.bytes.size() <= (std::size_t{4} << 20));
  }
}
