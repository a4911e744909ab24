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

// The kind of disk image a file's header shows ("" for none): these need libguestfs, which
// --image does not use yet (docs/images.md).
std::string disk_image_kind(const std::string& path) {
  const core::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  std::string head(1024, '\0');
  const ssize_t n = fd.valid() ? ::pread(fd.get(), head.data(), head.size(), 0) : -1;
  if (n <= 0) return {};
  head.resize(static_cast<std::size_t>(n));
  if (head.rfind("QFI\xfb", 0) == 0) return "qcow2";
  if (head.rfind("KDMV", 0) == 0 || head.rfind("# Disk DescriptorFile", 0) == 0) return "VMDK";
  if (head.rfind("conectix", 0) == 0) return "VHD";
  if (head.size() >= 68 && head.compare(64, 4, "\x7f\x10\xda\xbe") == 0) return "VDI";
  if (head.size() >= 520 && head.compare(512, 8, "EFI PART") == 0) return "raw disk (GPT)";
  // An MBR: the boot signature and no tar magic ("ustar" at 257) in the first sector.
  const bool compressed = head.rfind("\x1f\x8b", 0) == 0 ||
                          head.rfind("\x28\xb5\x2f\xfd", 0) == 0 ||
                          head.rfind(
                              "\xfd"
                              "7zXZ",
                              0) == 0 ||
                          head.rfind("BZh", 0) == 0;
  if (!compressed && head.size() >= 512 && head[510] == '\x55' && head[511] == '\xaa' &&
      head.compare(257, 5, "ustar") != 0)
    return "raw disk (MBR)";
  return {};
}

}  // namespace

nlohmann::json to_json(const ImageInfo& info) {
  return {{"path", info.path},
          {"format", info.format},
          {"name", info.name},
          {"manifest_digest", info.manifest_digest},
          {"config_digest", info.config_digest},
          {"layers", info.layers},
          {"architecture", info.architecture}};
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
    if (const auto kind = disk_image_kind(ref.path); !kind.empty())
      throw core::RunError("image " + ref.path + " is a " + kind +
                           " disk image; --image reads container images only (docs/images.md): "
                           "mount it read-only (guestmount --ro -a IMAGE -i DIR) and use --root "
                           "DIR");
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
