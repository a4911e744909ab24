// The three decoders behind one bounded loop: each step decodes into the free tail of a
// growing buffer that never grows past max_output + 1 bytes.
#include "collect/kmod/decompress.hpp"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace premigrate::collect::kmod {
namespace {

constexpr std::size_t kFirstChunk = std::size_t{1} << 20;
constexpr std::size_t kStep = std::size_t{4}
                              << 20;  // output per decoder call, between clock checks
using Clock = std::chrono::steady_clock;

bool timed_out(Decompressed& r, Clock::time_point deadline) {
  if (deadline == Clock::time_point::max() || Clock::now() < deadline) return false;
  r.status = DecompressStatus::kTimeout;
  r.message = "decompression stopped: over its time budget";
  return true;
}
constexpr std::uint64_t kXzMemLimit = std::uint64_t{256} << 20;  // decoder dictionary memory

// Makes room for more output; false once the buffer holds max_output + 1 bytes (the extra
// byte is what tells "exactly at the cap" from "over it").
bool grow(std::vector<unsigned char>& buf, std::size_t used, std::size_t max_output) {
  const std::size_t limit = max_output + 1;
  if (used < buf.size()) return true;
  if (buf.size() >= limit) return false;
  std::size_t next = std::max(kFirstChunk, buf.size() * 2);
  buf.resize(std::min(next, limit));
  return true;
}

Decompressed finish(Decompressed r, std::size_t used, std::size_t max_output) {
  if (r.status == DecompressStatus::kOk && used > max_output) {
    r.status = DecompressStatus::kTooLarge;
  }
  r.bytes.resize(std::min(used, r.bytes.size()));
  return r;
}

Decompressed too_large(Decompressed r, std::size_t max_output) {
  r.status = DecompressStatus::kTooLarge;
  r.message = "more than " + std::to_string(max_output) + " bytes when decompressed";
  return r;
}

Decompressed xz(const unsigned char* in, std::size_t n, std::size_t max_output,
                Clock::time_point deadline) {
  Decompressed r;
  lzma_stream s = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&s, kXzMemLimit, LZMA_CONCATENATED) != LZMA_OK) {
    r.message = "cannot initialise the xz decoder";
    return r;
  }
  s.next_in = in;
  s.avail_in = n;
  std::size_t used = 0;
  while (true) {
    if (!grow(r.bytes, used, max_output)) {
      lzma_end(&s);
      return too_large(std::move(r), max_output);
    }
    s.next_out = r.bytes.data() + used;
    const std::size_t window = std::min(r.bytes.size() - used, kStep);
    s.avail_out = window;
    const lzma_ret ret = lzma_code(&s, s.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
    used += window - s.avail_out;
    r.input_offset = s.total_in;
    if (ret == LZMA_STREAM_END) {
      r.status = DecompressStatus::kOk;
      break;
    }
    if (ret != LZMA_OK) {
      r.message = ret == LZMA_MEMLIMIT_ERROR ? "xz stream needs too much decoder memory"
                  : ret == LZMA_BUF_ERROR    ? "xz stream ends early"
                                             : "xz stream is corrupt";
      break;
    }
    if (timed_out(r, deadline)) break;
  }
  lzma_end(&s);
  return finish(std::move(r), used, max_output);
}

Decompressed zstd(const unsigned char* in, std::size_t n, std::size_t max_output,
                  Clock::time_point deadline) {
  Decompressed r;
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  if (dctx == nullptr) {
    r.message = "cannot initialise the zstd decoder";
    return r;
  }
  ZSTD_inBuffer input{in, n, 0};
  std::size_t used = 0;
  std::size_t last = 1;
  while (true) {
    if (!grow(r.bytes, used, max_output)) {
      ZSTD_freeDCtx(dctx);
      return too_large(std::move(r), max_output);
    }
    ZSTD_outBuffer output{r.bytes.data(), std::min(r.bytes.size(), used + kStep), used};
    last = ZSTD_decompressStream(dctx, &output, &input);
    used = output.pos;
    r.input_offset = input.pos;
    if (ZSTD_isError(last)) {
      r.message = std::string("zstd: ") + ZSTD_getErrorName(last);
      break;
    }
    // 0 means a frame is complete; with all input consumed that is the end.
    if (last == 0 && input.pos == input.size) {
      r.status = DecompressStatus::kOk;
      break;
    }
    if (input.pos == input.size && output.pos < output.size) {
      r.message = "zstd stream ends early";
      break;
    }
    if (timed_out(r, deadline)) break;
  }
  ZSTD_freeDCtx(dctx);
  return finish(std::move(r), used, max_output);
}

Decompressed gzip(const unsigned char* in, std::size_t n, std::size_t max_output,
                  Clock::time_point deadline) {
  Decompressed r;
  z_stream z{};
  // RFC 1952 gzip framing: windowBits 15 plus 16.
  if (inflateInit2(&z, 15 + 16) != Z_OK) {
    r.message = "cannot initialise zlib";
    return r;
  }
  std::size_t used = 0;
  std::size_t consumed = 0;
  while (true) {
    if (!grow(r.bytes, used, max_output)) {
      inflateEnd(&z);
      return too_large(std::move(r), max_output);
    }
    // zlib counts in uInt: feed and drain at most 1 GiB per call.
    const std::size_t in_step = std::min<std::size_t>(n - consumed, std::size_t{1} << 30);
    const std::size_t out_step = std::min<std::size_t>(r.bytes.size() - used, kStep);
    z.next_in = const_cast<Bytef*>(in + consumed);
    z.avail_in = static_cast<uInt>(in_step);
    z.next_out = r.bytes.data() + used;
    z.avail_out = static_cast<uInt>(out_step);
    const int ret = inflate(&z, Z_NO_FLUSH);
    const std::size_t progress = (in_step - z.avail_in) + (out_step - z.avail_out);
    consumed += in_step - z.avail_in;
    used += out_step - z.avail_out;
    r.input_offset = consumed;
    if (ret == Z_STREAM_END) {
      r.status = DecompressStatus::kOk;
      break;
    }
    if (ret == Z_BUF_ERROR && progress == 0 && z.avail_out != 0) {
      r.message = consumed == n ? "gzip stream ends early" : "gzip stream stalls";
      break;
    }
    if (ret != Z_OK && ret != Z_BUF_ERROR) {
      r.message = std::string("gzip: ") + (z.msg != nullptr ? z.msg : "corrupt stream");
      break;
    }
    if (timed_out(r, deadline)) break;
  }
  inflateEnd(&z);
  return finish(std::move(r), used, max_output);
}

}  // namespace

Compression detect_compression(const unsigned char* b, std::size_t n) {
  static constexpr unsigned char kXz[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
  static constexpr unsigned char kZstd[] = {0x28, 0xb5, 0x2f, 0xfd};
  static constexpr unsigned char kGzip[] = {0x1f, 0x8b};
  if (n >= sizeof kXz && std::memcmp(b, kXz, sizeof kXz) == 0) return Compression::kXz;
  if (n >= sizeof kZstd && std::memcmp(b, kZstd, sizeof kZstd) == 0) return Compression::kZstd;
  if (n >= sizeof kGzip && std::memcmp(b, kGzip, sizeof kGzip) == 0) return Compression::kGzip;
  return Compression::kNone;
}

std::string_view to_string(Compression c) {
  switch (c) {
    case Compression::kXz:
      return "xz";
    case Compression::kZstd:
      return "zst";
    case Compression::kGzip:
      return "gz";
    case Compression::kNone:
      break;
  }
  return "";
}

Decompressed decompress(Compression c, const unsigned char* in, std::size_t n,
                        std::size_t max_output, Clock::time_point deadline) {
  switch (c) {
    case Compression::kXz:
      return xz(in, n, max_output, deadline);
    case Compression::kZstd:
      return zstd(in, n, max_output, deadline);
    case Compression::kGzip:
      return gzip(in, n, max_output, deadline);
    case Compression::kNone:
      break;
  }
  Decompressed r;
  r.message = "not a compressed stream";
  return r;
}

}  // namespace premigrate::collect::kmod
