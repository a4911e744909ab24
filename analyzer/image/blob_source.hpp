// Where an image's files (index.json, manifest.json, configs, layer blobs) are read from: an OCI
// layout directory, opened below its descriptor without following links, or an archive (docker
// save, OCI tar) whose regular members are first copied into the private scratch directory.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "image/confined_tree.hpp"
#include "image/image.hpp"

namespace premigrate::image {

class BlobSource {
 public:
  virtual ~BlobSource() = default;
  // A read-only descriptor of the file `name` (a '/'-separated path inside the image layout),
  // invalid when there is no such regular file.
  [[nodiscard]] virtual core::Fd open(const std::string& name) const = 0;
  [[nodiscard]] bool has(const std::string& name) const { return open(name).valid(); }
};

// An OCI image layout directory. Throws core::RunError when it cannot be opened.
[[nodiscard]] std::unique_ptr<BlobSource> open_layout_dir(const std::string& path);

// An archive file: regular members are copied into scratch_fd (members, bytes count against
// `limits` and `budget`); symbolic and hard links between members are followed by name, inside
// the archive only. Throws core::RunError when the file is not a readable tar.
[[nodiscard]] std::unique_ptr<BlobSource> extract_archive(const std::string& path, int scratch_fd,
                                                          const ImageLimits& limits,
                                                          WriteBudget& budget,
                                                          core::Diagnostics& diags);

// The whole file `name`, at most max_bytes; throws core::RunError naming it otherwise.
[[nodiscard]] std::string read_small(const BlobSource& src, const std::string& name,
                                     std::size_t max_bytes = 4U << 20);

}  // namespace premigrate::image
