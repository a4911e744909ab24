// In-memory decompression of kernel modules (.ko.xz with liblzma, .ko.zst with libzstd,
// .ko.gz with zlib) with a hard cap on the output size.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace premigrate::collect::kmod {

enum class Compression { kNone, kXz, kZstd, kGzip };

// Recognised by the stream's own magic bytes, not by the file name.
[[nodiscard]] Compression detect_compression(const unsigned char* bytes, std::size_t n);
// "", "xz", "zst", "gz": the words KernelModule::compression uses.
[[nodiscard]] std::string_view to_string(Compression c);

enum class DecompressStatus { kOk, kTooLarge, kCorrupt, kTimeout };

struct Decompressed {
  DecompressStatus status = DecompressStatus::kCorrupt;
  std::vector<unsigned char> bytes;  // the output so far (complete only when kOk)
  std::string message;               // the decoder's words when not kOk
  std::uint64_t input_offset = 0;    // how far into the compressed input the decoder got
};

// Decompresses `in` whole; stops with kTooLarge as soon as the output would exceed
// `max_output` bytes, so a decompression bomb costs at most that much memory, and with kTimeout
// once `deadline` has passed (checked after every 4 MiB of output), so it costs bounded time.
[[nodiscard]] Decompressed decompress(
    Compression c, const unsigned char* in, std::size_t n, std::size_t max_output,
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

}  // namespace premigrate::collect::kmod
