// `--image`: the option's glue between the command line and analyzer/image.
#include "cli/image_option.hpp"

#include <cstdlib>

#include "core/errors.hpp"

namespace premigrate::cli {

image::ImageLimits image_limits(const CommonArgs& a, const collect::CollectOptions& opts) {
  image::ImageLimits limits;
  limits.max_member_bytes = opts.max_file_size;
  if (a.image_timeout == 0) throw core::UsageError("--image-timeout must be at least 1 second");
  limits.disk_timeout_s = a.image_timeout;
  // The default backend's launch budget before the TCG retry (docs/images.md): a tuning knob
  // for slow machines and for the tests, not an option of its own.
  if (const char* s = std::getenv("PREMIGRATE_IMAGE_LAUNCH_TIMEOUT"); s != nullptr && *s != '\0') {
    char* end = nullptr;
    const unsigned long v = std::strtoul(s, &end, 10);
    if (*end != '\0' || v == 0 || v > 86400)
      throw core::UsageError("PREMIGRATE_IMAGE_LAUNCH_TIMEOUT must be a number of seconds");
    limits.disk_launch_timeout_s = static_cast<unsigned>(v);
  }
  return limits;
}

std::unique_ptr<image::MaterializedImage> open_image_option(CommonArgs& a,
                                                            const collect::CollectOptions& opts,
                                                            core::Diagnostics& diags) {
  if (a.image.empty()) return nullptr;
  if (a.root != "/") throw core::UsageError("--image and --root exclude each other");
  auto img = image::materialize(a.image, image_limits(a, opts), diags);
  a.root = img->root().string();
  return img;
}

void name_image_root(const image::MaterializedImage* img, facts::Inventory& inv) {
  if (img != nullptr) inv.root = img->info().path;
}

}  // namespace premigrate::cli
