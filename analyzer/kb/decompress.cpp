// Whole-file reads with transparent gzip (zlib), xz (liblzma) and zstd decompression, chosen
// by the file's magic bytes so a misnamed file still reads.
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>

#include "core/errors.hpp"
#include "kb/importers.hpp"
#include "kb/pack_format.hpp"

namespace premigrate::kb::importers {

namespace {

std::string gunzip(const std::string& in, const std::string& name) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) throw core::RunError(name + ": zlib init failed");
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END && zs.avail_in > 0) {  // concatenated gzip members
      out.append(buf, sizeof buf - zs.avail_out);
      inflateReset(&zs);
      rc = Z_OK;
      continue;
    }
    if (rc != Z_OK && rc != Z_STREAM_END) {
      const auto at = zs.total_in;
      inflateEnd(&zs);
      throw core::RunError(name + ": corrupt gzip data at compressed offset " + std::to_string(at));
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw core::RunError(name + ": truncated gzip data");
    }
  }
  inflateEnd(&zs);
  return out;
}

std::string unxz(const std::string& in, const std::string& name) {
  lzma_stream s = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
    throw core::RunError(name + ": liblzma init failed");
  s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  s.avail_in = in.size();
  std::string out;
  uint8_t buf[1 << 16];
  for (;;) {
    s.next_out = buf;
    s.avail_out = sizeof buf;
    const auto rc = lzma_code(&s, s.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
    out.append(reinterpret_cast<char*>(buf), sizeof buf - s.avail_out);
    if (rc == LZMA_STREAM_END) break;
    if (rc != LZMA_OK) {
      const auto at = s.total_in;
      lzma_end(&s);
      throw core::RunError(name + ": corrupt xz data at compressed offset " + std::to_string(at));
    }
  }
  lzma_end(&s);
  return out;
}

std::string unzstd(const std::string& in, const std::string& name) {
  ZSTD_DStream* ds = ZSTD_createDStream();
  ZSTD_initDStream(ds);
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  std::string out;
  std::string buf(ZSTD_DStreamOutSize(), '\0');
  std::size_t rc = 1;
  while (ib.pos < ib.size) {
    ZSTD_outBuffer ob{buf.data(), buf.size(), 0};
    rc = ZSTD_decompressStream(ds, &ob, &ib);
    if (ZSTD_isError(rc)) {
      ZSTD_freeDStream(ds);
      throw core::RunError(name + ": corrupt zstd data at compressed offset " +
                           std::to_string(ib.pos) + ": " + ZSTD_getErrorName(rc));
    }
    out.append(buf.data(), ob.pos);
  }
  ZSTD_freeDStream(ds);
  if (rc != 0) throw core::RunError(name + ": truncated zstd data");
  return out;
}

}  // namespace

std::string read_maybe_compressed(const std::filesystem::path& file) {
  std::string raw = read_text_file(file);
  const auto name = file.string();
  auto starts = [&](const char* magic, std::size_t n) {
    return raw.size() >= n && std::memcmp(raw.data(), magic, n) == 0;
  };
  if (starts("\x1f\x8b", 2)) return gunzip(raw, name);
  static constexpr char kXzMagic[] = {'\xfd', '7', 'z', 'X', 'Z', '\0'};
  if (starts(kXzMagic, sizeof kXzMagic)) return unxz(raw, name);
  if (starts("\x28\xb5\x2f\xfd", 4)) return unzstd(raw, name);
  return raw;
}

}  // namespace premigrate::kb::importers
