// Image references and digests (OpenSSL EVP for SHA-256, as collect/config uses it).
#include "image/image_ref.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>

namespace premigrate::image {

namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string hex_digest(EVP_MD_CTX* ctx) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, md.data(), &len) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

}  // namespace

ImageSpec parse_image_spec(const std::string& spec) {
  struct stat st {};
  const auto at = spec.rfind('@');
  if (at == std::string::npos || at == 0 || ::lstat(spec.c_str(), &st) == 0) return {spec, ""};
  return {spec.substr(0, at), spec.substr(at + 1)};
}

bool valid_digest(const std::string& digest) {
  const auto colon = digest.find(':');
  if (colon == std::string::npos) return false;
  const std::string alg = digest.substr(0, colon);
  const std::string hex = digest.substr(colon + 1);
  const std::size_t want = alg == "sha256" ? 64 : alg == "sha512" ? 128 : 0;
  return want != 0 && hex.size() == want &&
         hex.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string sha256_of_fd(int fd) {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return {};
  std::array<char, 1 << 16> buf{};
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {};
    if (n == 0) break;
    if (EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n)) != 1) return {};
  }
  return hex_digest(ctx.get());
}

std::string sha256_of_text(const std::string& text) {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), text.data(), text.size()) != 1)
    return {};
  return hex_digest(ctx.get());
}

}  // namespace premigrate::image
