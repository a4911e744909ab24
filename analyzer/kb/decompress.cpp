// Whole-file reads for `kb build` with transparent gzip, xz and zstd decompression through the
// project's one bounded decompressor (core/decompress.hpp), chosen by the file's magic bytes so
// a misnamed file still reads.
#include "core/decompress.hpp"

#include <limits>
#include <string>

#include "core/errors.hpp"
#include "kb/importers.hpp"
#include "kb/pack_format.hpp"

namespace premigrate::kb::importers {

namespace {
// The largest decompressed input `kb build` accepts, so a bomb costs at most this much memory:
// libxml2's reader takes the document size as an int, so nothing larger could be parsed anyway
// (the largest input in ../shared/kb-sources is a 37 MB primary.xml).
constexpr std::size_t kMaxInflated = std::numeric_limits<int>::max();
}  // namespace

std::string read_maybe_compressed(const std::filesystem::path& file) {
  std::string raw = read_text_file(file);
  const core::Compression c = core::detect_compression(raw);
  if (c == core::Compression::kNone) return raw;
  core::Decompressed out = core::decompress(c, reinterpret_cast<const unsigned char*>(raw.data()),
                                            raw.size(), kMaxInflated);
  if (!out.ok()) {
    throw core::RunError(file.string() + ": " + out.message + " (" +
                         std::string(core::to_string(c)) + " data, compressed offset " +
                         std::to_string(out.input_offset) + ")");
  }
  return std::move(out.bytes);
}

}  // namespace premigrate::kb::importers
