// The three decoders behind one bounded loop: each step decodes into the free tail of a
// growing buffer that never grows past max_output + 1 bytes. Every decoder state is owned by a
// small RAII holder, so no return path has to remember to end it.
#include "core/decompress.hpp"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace premigrate::core {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kFirstChunk = std::size_t{1} << 20;
constexpr std::size_t kStep = std::size_t{4}
                              << 20;  // output per decoder call, between clock checks
constexpr std::uint64_t kXzMemLimit = std::uint64_t{256} << 20;  // decoder dictionary memory
constexpr unsigned char kGzipMagic[] = {0x1f, 0x8b};

// liblzma's decoder state, ended on destruction.
class LzmaStream {
 public:
  LzmaStream() = default;
  ~LzmaStream() { lzma_end(&s_); }
  LzmaStream(const LzmaStream&) = delete;
  LzmaStream& operator=(const LzmaStream&) = delete;
  lzma_stream* get() { return &s_; }

 private:
  lzma_stream s_ = LZMA_STREAM_INIT;
};

// zlib's inflate state; inflateEnd only after a successful inflateInit2.
class Inflater {
 public:
  Inflater() = default;
  ~Inflater() {
    if (live_) inflateEnd(&z_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  [[nodiscard]] bool init(int window_bits) {
    live_ = inflateInit2(&z_, window_bits) == Z_OK;
    return live_;
  }
  z_stream* get() { return &z_; }

 private:
  z_stream z_{};
  bool live_ = false;
};

struct ZstdDCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
using ZstdDCtx = std::unique_ptr<ZSTD_DCtx, ZstdDCtxFree>;

unsigned char* out_at(Decompressed& r, std::size_t used) {
  return reinterpret_cast<unsigned char*>(r.bytes.data()) + used;
}

bool timed_out(Decompressed& r, Clock::time_point deadline) {
  if (deadline == Clock::time_point::max() || Clock::now() < deadline) return false;
  r.status = DecompressStatus::kTimeout;
  r.message = "decompression stopped: over its time budget";
  return true;
}

// Makes room for more output; false once the buffer holds max_output + 1 bytes (the extra
// byte is what tells "exactly at the cap" from "over it").
bool grow(std::string& buf, std::size_t used, std::size_t max_output) {
  const std::size_t limit = max_output == SIZE_MAX ? max_output : max_output + 1;
  if (used < buf.size()) return true;
  if (buf.size() >= limit) return false;
  const std::size_t next = std::max(kFirstChunk, buf.size() * 2);
  buf.resize(std::min(next, limit));
  return true;
}

Decompressed too_large(Decompressed r, std::size_t max_output) {
  r.status = DecompressStatus::kTooLarge;
  r.message = "more than " + std::to_string(max_output) + " bytes when decompressed";
  return r;
}

Decompressed not_started(const char* why) {
  Decompressed r;
  r.message = why;
  return r;
}

// The loop every decoder runs: room for output, one decoder call (`step` decodes into the free
// tail of r.bytes from `used` on, advances `used`, and returns true when the decoder is done:
// r.status kOk, or r.message saying why not), the clock. The buffer never holds more than
// max_output + 1 bytes.
template <class Step>
Decompressed bounded(std::size_t max_output, Clock::time_point deadline, Step&& step) {
  Decompressed r;
  std::size_t used = 0;
  while (true) {
    if (!grow(r.bytes, used, max_output)) return too_large(std::move(r), max_output);
    if (step(r, used) || timed_out(r, deadline)) break;
  }
  r.bytes.resize(std::min(used, r.bytes.size()));
  if (r.ok() && used > max_output) return too_large(std::move(r), max_output);
  return r;
}

Decompressed xz(const unsigned char* in, std::size_t n, std::size_t max_output,
                Clock::time_point deadline) {
  LzmaStream stream;
  lzma_stream& s = *stream.get();
  if (lzma_stream_decoder(&s, kXzMemLimit, LZMA_CONCATENATED) != LZMA_OK) {
    return not_started("cannot initialise the xz decoder");
  }
  s.next_in = in;
  s.avail_in = n;
  return bounded(max_output, deadline, [&](Decompressed& r, std::size_t& used) {
    s.next_out = out_at(r, used);
    const std::size_t window = std::min(r.bytes.size() - used, kStep);
    s.avail_out = window;
    const lzma_ret ret = lzma_code(&s, s.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
    used += window - s.avail_out;
    r.input_offset = s.total_in;
    if (ret == LZMA_STREAM_END) {
      r.status = DecompressStatus::kOk;
      return true;
    }
    if (ret != LZMA_OK) {
      r.message = ret == LZMA_MEMLIMIT_ERROR ? "xz stream needs too much decoder memory"
                  : ret == LZMA_BUF_ERROR    ? "xz stream ends early"
                                             : "xz stream is corrupt";
      return true;
    }
    return false;
  });
}

Decompressed zstd(const unsigned char* in, std::size_t n, std::size_t max_output,
                  Clock::time_point deadline) {
  const ZstdDCtx dctx(ZSTD_createDCtx());
  if (dctx == nullptr) return not_started("cannot initialise the zstd decoder");
  ZSTD_inBuffer input{in, n, 0};
  return bounded(max_output, deadline, [&](Decompressed& r, std::size_t& used) {
    ZSTD_outBuffer output{r.bytes.data(), std::min(r.bytes.size(), used + kStep), used};
    const std::size_t last = ZSTD_decompressStream(dctx.get(), &output, &input);
    used = output.pos;
    r.input_offset = input.pos;
    if (ZSTD_isError(last) != 0U) {
      r.message = std::string("zstd: ") + ZSTD_getErrorName(last);
      return true;
    }
    // 0 means a frame is complete; with all input consumed that is the end.
    if (last == 0 && input.pos == input.size) {
      r.status = DecompressStatus::kOk;
      return true;
    }
    if (input.pos == input.size && output.pos < output.size) {
      r.message = "zstd stream ends early";
      return true;
    }
    return false;
  });
}

Decompressed gzip(const unsigned char* in, std::size_t n, std::size_t max_output,
                  Clock::time_point deadline) {
  Inflater inflater;
  // RFC 1952 gzip framing: windowBits 15 plus 16.
  if (!inflater.init(15 + 16)) return not_started("cannot initialise zlib");
  z_stream& z = *inflater.get();
  std::size_t consumed = 0;
  return bounded(max_output, deadline, [&](Decompressed& r, std::size_t& used) {
    // zlib counts in uInt: feed and drain at most 1 GiB per call.
    const std::size_t in_step = std::min<std::size_t>(n - consumed, std::size_t{1} << 30);
    const std::size_t out_step = std::min<std::size_t>(r.bytes.size() - used, kStep);
    z.next_in = const_cast<Bytef*>(in + consumed);
    z.avail_in = static_cast<uInt>(in_step);
    z.next_out = out_at(r, used);
    z.avail_out = static_cast<uInt>(out_step);
    const int ret = inflate(&z, Z_NO_FLUSH);
    const std::size_t progress = (in_step - z.avail_in) + (out_step - z.avail_out);
    consumed += in_step - z.avail_in;
    used += out_step - z.avail_out;
    r.input_offset = consumed;
    if (ret == Z_STREAM_END) {
      // Another member follows (concatenated gzip): decode it into the same output.
      const bool member_follows = n - consumed >= sizeof kGzipMagic &&
                                  std::memcmp(in + consumed, kGzipMagic, sizeof kGzipMagic) == 0;
      if (member_follows && inflateReset(&z) == Z_OK) return false;
      r.status = DecompressStatus::kOk;
      return true;
    }
    if (ret == Z_BUF_ERROR && progress == 0 && z.avail_out != 0) {
      r.message = consumed == n ? "gzip stream ends early" : "gzip stream stalls";
      return true;
    }
    if (ret != Z_OK && ret != Z_BUF_ERROR) {
      r.message = std::string("gzip: ") + (z.msg != nullptr ? z.msg : "corrupt stream");
      return true;
    }
    return false;
  });
}

}  // namespace

Compression detect_compression(const unsigned char* b, std::size_t n) {
  static constexpr unsigned char kXz[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
  static constexpr unsigned char kZstd[] = {0x28, 0xb5, 0x2f, 0xfd};
  if (n >= sizeof kXz && std::memcmp(b, kXz, sizeof kXz) == 0) return Compression::kXz;
  if (n >= sizeof kZstd && std::memcmp(b, kZstd, sizeof kZstd) == 0) return Compression::kZstd;
  if (n >= sizeof kGzipMagic && std::memcmp(b, kGzipMagic, sizeof kGzipMagic) == 0) {
    return Compression::kGzip;
  }
  return Compression::kNone;
}

Compression detect_compression(std::string_view bytes) {
  return detect_compression(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
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

}  // namespace premigrate::core
