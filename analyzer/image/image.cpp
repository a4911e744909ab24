// Flattening a container image into a private scratch root (see image.hpp).
#include "image/image.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "image/blob_source.hpp"
#include "image/disk_image.hpp"
#include "image/image_ref.hpp"
#include "image/layer_apply.hpp"
#include "image/manifests.hpp"

namespace premigrate::image {

namespace {

// The architecture the image configuration names, and a check of its digest where the
// manifest gave one.
std::string read_config(const BlobSource& src, const ImageCandidate& c, const std::string& path,
                        core::Diagnostics& diags) {
  if (c.config_name.empty()) return {};
  const std::string text = read_small(src, c.config_name);
  if (!c.config_digest.empty() && c.config_digest.rfind("sha256:", 0) == 0 &&
      sha256_of_text(text) != c.config_digest)
    diags.error("image.digest_mismatch", "/",
                "the image configuration's content does not match "
                "its digest " +
                    c.config_digest,
                path);
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return {};
  const auto a = j.find("architecture");
  return a != j.end() && a->is_string() ? a->get<std::string>() : std::string();
}

}  // namespace

nlohmann::json to_json(const ImageInfo& info) {
  nlohmann::json j = {{"path", info.path},
                      {"format", info.format},
                      {"name", info.name},
                      {"manifest_digest", info.manifest_digest},
                      {"config_digest", info.config_digest},
                      {"layers", info.layers},
                      {"architecture", info.architecture}};
  if (!info.root_device.empty()) {
    j["distro"] = info.distro;
    j["os_version"] = info.os_version;
    j["root_device"] = info.root_device;
  }
  return j;
}

std::unique_ptr<MaterializedImage> materialize(const std::string& spec, const ImageLimits& limits,
                                               core::Diagnostics& diags) {
  const auto ref = parse_image_spec(spec);
  struct stat st {};
  if (::stat(ref.path.c_str(), &st) != 0)
    throw core::RunError("cannot open image " + ref.path + ": " + std::strerror(errno));
  auto img = std::make_unique<MaterializedImage>();
  const int scratch = img->scratch().fd();
  WriteBudget budget;
  std::unique_ptr<BlobSource> src;
  if (S_ISDIR(st.st_mode)) {
    src = open_layout_dir(ref.path);
  } else {
    if (const auto disk = probe_disk(ref.path); !disk.kind.empty()) {
      read_disk_image(ref, disk, limits, *img, diags);
      return img;
    }
    src = extract_archive(ref.path, scratch, limits, budget, diags);
  }
  std::string format;
  const auto images = list_images(*src, format);
  const auto& chosen = select_image(images, ref.selector, ref.path);
  if (chosen.layers.size() > limits.max_layers)
    throw core::RunError("image " + ref.path + " has " + std::to_string(chosen.layers.size()) +
                         " layers, more than " + std::to_string(limits.max_layers) +
                         "; not extracted");

  auto& info = img->mutable_info();
  info.path = ref.path;
  info.format = format != "oci" ? format : S_ISDIR(st.st_mode) ? "oci-layout" : "oci-archive";
  for (const auto& n : chosen.names) info.name += (info.name.empty() ? "" : " ") + n;
  info.name = core::printable_text(info.name);
  info.manifest_digest = chosen.manifest_digest;
  info.config_digest = chosen.config_digest;
  info.architecture = core::printable_text(read_config(*src, chosen, ref.path, diags));

  if (::mkdirat(scratch, "rootfs", 0755) != 0)
    throw core::RunError(std::string("cannot create the image root: ") + std::strerror(errno));
  const core::Fd root(::openat(scratch, "rootfs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  for (std::size_t i = 0; i < chosen.layers.size(); ++i) {
    const auto& layer = chosen.layers[i];
    info.layers.push_back(core::printable_text(layer.digest));
    LayerContext ctx{root.get(), &limits, &budget, &diags,
                     "layer " + std::to_string(i + 1) + " (" +
                         core::printable_text(layer.digest.empty() ? layer.name : layer.digest) +
                         ")"};
    const auto fd = src->open(layer.name);
    if (!fd.valid()) {
      diags.error("image.layer_missing", "/", "the layer's file is not in the image", ctx.label);
      continue;
    }
    if (layer.digest.rfind("sha256:", 0) == 0 && sha256_of_fd(fd.get()) != layer.digest)
      diags.error("image.digest_mismatch", "/", "the layer's content does not match its digest",
                  ctx.label);
    if (!apply_layer(fd.get(), ctx)) break;
  }
  return img;
}

}  // namespace premigrate::image
