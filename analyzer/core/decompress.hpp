// The one in-memory decompressor of the project (gzip, xz, zstd), bounded in output size and
// in time: kernel modules (collect/kmod) and `kb build` inputs (kb/decompress.cpp) use it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace premigrate::core {

enum class Compression { kNone, kXz, kZstd, kGzip };

// Recognised by the stream's own magic bytes, not by the file name.
[[nodiscard]] Compression detect_compression(const unsigned char* bytes, std::size_t n);
[[nodiscard]] Compression detect_compression(std::string_view bytes);
// "", "xz", "zst", "gz": the words KernelModule::compression uses.
[[nodiscard]] std::string_view to_string(Compression c);

enum class DecompressStatus { kOk, kTooLarge, kCorrupt, kTimeout };

struct Decompressed {
  DecompressStatus status = DecompressStatus::kCorrupt;
  std::string bytes;               // the output so far (complete only when kOk)
  std::string message;             // what stopped the decoder when not kOk
  std::uint64_t input_offset = 0;  // how far into the compressed input the decoder got

  [[nodiscard]] bool ok() const { return status == DecompressStatus::kOk; }
  [[nodiscard]] const unsigned char* data() const {
    return reinterpret_cast<const unsigned char*>(bytes.data());
  }
  // Mutable: libelf's elf_memory takes a non-const buffer.
  [[nodiscard]] unsigned char* data() { return reinterpret_cast<unsigned char*>(bytes.data()); }
};

// Decompresses `in` whole. Stops with kTooLarge as soon as the output would exceed
// `max_output` bytes, so a decompression bomb costs at most that much memory, and with kTimeout
// once `deadline` has passed (checked after every 4 MiB of output), so it costs bounded time.
// Concatenated streams (xz, zstd frames, gzip members) decode as one; after the last gzip member,
// bytes that do not start another member are ignored, as zlib's gzread does; anything else cut
// or damaged is kCorrupt, with the decoder's words in `message`.
[[nodiscard]] Decompressed decompress(
    Compression c, const unsigned char* in, std::size_t n, std::size_t max_output,
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

}  // namespace premigrate::core
