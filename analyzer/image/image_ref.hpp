// References to images and blobs: the `PATH@SELECTOR` argument, content digests, and the
// SHA-256 of a blob read through its descriptor.
#pragma once

#include <string>

namespace premigrate::image {

struct ImageSpec {
  std::string path;
  std::string selector;  // "name:tag" or "sha256:<hex>", "" when none
};

// PATH@SELECTOR, where PATH is taken whole when it exists as given (a path may contain '@').
[[nodiscard]] ImageSpec parse_image_spec(const std::string& spec);

// "sha256:<64 hex>" (or sha512 with 128): a digest whose hex part may name a blob file.
[[nodiscard]] bool valid_digest(const std::string& digest);

// "sha256:<hex>" of everything readable from fd (read from its current offset to the end);
// "" when reading fails.
[[nodiscard]] std::string sha256_of_fd(int fd);
[[nodiscard]] std::string sha256_of_text(const std::string& text);

}  // namespace premigrate::image
