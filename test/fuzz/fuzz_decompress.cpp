// Fuzz target: core::decompress, the one decompressor of kernel modules and `kb build` inputs:
// format detection by magic, then the decoder under a small output cap and a deadline, as both
// callers use it. Whatever the input, the result is a status, never a crash or a leak.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "core/decompress.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = premigrate::core;
  const std::size_t cap = std::size_t{8} << 20;  // keeps decompression bombs cheap
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  const core::Compression c = core::detect_compression(data, size);
  const core::Decompressed out = core::decompress(c, data, size, cap, deadline);
  if (out.bytes.size() > cap + 1 || out.input_offset > size) __builtin_trap();
  if (out.ok() != (out.status == core::DecompressStatus::kOk)) __builtin_trap();
  return 0;
}
