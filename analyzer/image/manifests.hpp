// The images an image layout holds: docker save's manifest.json, or OCI's index.json with its
// manifests (a nested index, as multi-platform images have, lists each platform's manifest).
#pragma once

#include <string>
#include <vector>

#include "image/blob_source.hpp"

namespace premigrate::image {

struct LayerRef {
  std::string name;    // file inside the layout
  std::string digest;  // as the manifest (OCI) or the config's diff_ids (docker) give it
};

struct ImageCandidate {
  std::vector<std::string> names;  // RepoTags, OCI ref names ("" none)
  std::string manifest_digest;
  std::string config_name;
  std::string config_digest;  // expected; docker-archive: computed from the config's bytes
  std::vector<LayerRef> layers;
};

// Every image of the layout. `format` is set to "docker-archive" (manifest.json) or "oci"
// (index.json). Throws core::RunError for a layout that is neither, or malformed JSON.
[[nodiscard]] std::vector<ImageCandidate> list_images(const BlobSource& src, std::string& format);

// The one image `selector` names ("" when there is just one). Throws core::UsageError listing
// the images when the choice is missing or names none of them.
[[nodiscard]] const ImageCandidate& select_image(const std::vector<ImageCandidate>& images,
                                                 const std::string& selector,
                                                 const std::string& path);

// "blobs/sha256/<hex>" for a valid digest; "" otherwise.
[[nodiscard]] std::string blob_path(const std::string& digest);

}  // namespace premigrate::image
