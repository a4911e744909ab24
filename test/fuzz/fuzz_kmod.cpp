// Fuzz target: one kernel module through collect::kmod::read_module: compression detection and
// in-memory decompression (xz, zstd, gzip) under a cap, .modinfo, __versions, the symbol table
// and the signature trailer.
#include <cstddef>
#include <cstdint>

#include "collect/kmod/kmod_reader.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace kmod = premigrate::collect::kmod;
  premigrate::fuzz::MemFile file(data, size);
  premigrate::core::Diagnostics diags;
  kmod::ReadLimits limits;
  limits.max_decompressed = std::size_t{8} << 20;  // keeps decompression bombs cheap
  (void)kmod::read_module(file.fd(), "/lib/modules/3.10.0-1160.el7.x86_64/extra/fuzz.ko", diags,
                          limits);
  return 0;
}
