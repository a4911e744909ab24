// Applies one layer tar onto the private image root: first its whiteouts (".wh.NAME" removes
// NAME of the layers below, ".wh..wh..opq" empties its directory), then its members, every
// path confined below root_fd and no link followed (OCI image-spec, layer.md).
#pragma once

#include <string>

#include "core/diagnostics.hpp"
#include "image/confined_tree.hpp"
#include "image/image.hpp"

namespace premigrate::image {

struct LayerContext {
  int root_fd = -1;
  const ImageLimits* limits = nullptr;
  WriteBudget* budget = nullptr;
  core::Diagnostics* diags = nullptr;
  std::string label;  // "layer 2 (sha256:...)", the `where` of the layer's diagnostics
};

// Reads the layer from layer_fd twice (whiteouts, then members). Problems are diagnostics; the
// function returns false only when the member limit stopped it (the root is then incomplete).
[[nodiscard]] bool apply_layer(int layer_fd, const LayerContext& ctx);

// A whole file system as one tar stream read once from stream_fd (a pipe: a disk image's tar_out,
// image/disk_image.hpp), with the same confinement; ".wh." names are ordinary files here.
[[nodiscard]] bool apply_tar_stream(int stream_fd, const LayerContext& ctx);

}  // namespace premigrate::image
