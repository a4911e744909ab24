// `--image` for scan and inventory: the image is flattened into a private scratch root that
// the command then scans as it would --root (analyzer/image).
#pragma once

#include <memory>

#include "cli/options.hpp"
#include "core/diagnostics.hpp"
#include "image/image.hpp"

namespace premigrate::cli {

// The limits --max-file-size, --image-timeout and PREMIGRATE_IMAGE_LAUNCH_TIMEOUT set (usage
// errors for bad values).
[[nodiscard]] image::ImageLimits image_limits(const CommonArgs& a,
                                              const collect::CollectOptions& opts);

// With --image: materialises it (limits from --max-file-size), points a.root at the flattened
// root and returns it (keep it alive for the scan; its directory goes with it). Without:
// nullptr. --image with --root is a usage error.
[[nodiscard]] std::unique_ptr<image::MaterializedImage> open_image_option(
    CommonArgs& a, const collect::CollectOptions& opts, core::Diagnostics& diags);

// What the report and inventory say the scanned root was: the image path as given.
void name_image_root(const image::MaterializedImage* img, facts::Inventory& inv);

}  // namespace premigrate::cli
