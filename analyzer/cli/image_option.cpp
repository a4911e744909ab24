// `--image`: the option's glue between the command line and analyzer/image.
#include "cli/image_option.hpp"

#include "core/errors.hpp"

namespace premigrate::cli {

std::unique_ptr<image::MaterializedImage> open_image_option(CommonArgs& a,
                                                            const collect::CollectOptions& opts,
                                                            core::Diagnostics& diags) {
  if (a.image.empty()) return nullptr;
  if (a.root != "/") throw core::UsageError("--image and --root exclude each other");
  image::ImageLimits limits;
  limits.max_member_bytes = opts.max_file_size;
  auto img = image::materialize(a.image, limits, diags);
  a.root = img->root().string();
  return img;
}

void name_image_root(const image::MaterializedImage* img, facts::Inventory& inv) {
  if (img != nullptr) inv.root = img->info().path;
}

}  // namespace premigrate::cli
