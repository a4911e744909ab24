// `--image PATH[@NAME:TAG]`: a container image (docker-save archive, OCI layout directory or
// OCI archive) flattened into a private scratch root, which the ordinary scan then reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/temp_dir.hpp"

namespace premigrate::image {

// Bounds on what one image may make us write: a hostile archive gets diagnostics, not a full
// disk.
struct ImageLimits {
  std::size_t max_layers = 256;                 // Docker itself stops at 127
  std::size_t max_members = 2'000'000;          // entries across all layers (and the outer archive)
  std::uint64_t max_member_bytes = 1ULL << 30;  // one file (--max-file-size)
  std::uint64_t max_total_bytes = 64ULL << 30;  // everything written
  unsigned disk_timeout_s = 600;         // a disk image: launch, inspection and copy together
  unsigned disk_launch_timeout_s = 120;  // the default backend's launch, before the TCG retry
};

// What the report's header says about the image.
struct ImageInfo {
  std::string path;                 // as given, without the selector
  std::string format;               // "docker-archive" | "oci-layout" | "oci-archive", or a disk's
                                    // "qcow2" | "vmdk" | "vhd" | "vdi" | "raw"
  std::string name;                 // "name:tag" (or the OCI ref name), "" when the image has none
  std::string manifest_digest;      // OCI: the manifest's digest; docker-archive: ""
  std::string config_digest;        // "sha256:..." of the image configuration
  std::vector<std::string> layers;  // digests, bottom layer first
  std::string architecture;         // from the image configuration (a disk: inspection)
  // A disk image only (libguestfs inspection; name is then the OS's product name):
  std::string distro;       // "centos", "rhel", ...
  std::string os_version;   // "7.9"
  std::string root_device;  // the guest's root file system, "/dev/sda1"
};
[[nodiscard]] nlohmann::json to_json(const ImageInfo& info);

// The flattened image. Its directory is removed when this is destroyed, or by the signal
// handlers of core::install_cleanup_handlers.
class MaterializedImage {
 public:
  MaterializedImage() = default;
  [[nodiscard]] std::filesystem::path root() const { return dir_.path() / "rootfs"; }
  [[nodiscard]] const ImageInfo& info() const { return info_; }
  [[nodiscard]] const core::TempDir& scratch() const { return dir_; }
  ImageInfo& mutable_info() { return info_; }

 private:
  core::TempDir dir_;
  ImageInfo info_;
};

// Reads `spec` (PATH or PATH@SELECTOR; the selector is a name:tag or a sha256: digest, or for a
// disk image the root device of one of its OSes) and applies its layers, or copies the disk's OS
// (image/disk_image.hpp). Throws core::UsageError for an archive of several images without (or with
// an unknown) selector, listing the names; core::RunError when the image cannot be read at all.
// Bad members (escaping paths, links to write through, devices, over-size files) are
// diagnostics; the image is flattened without them.
[[nodiscard]] std::unique_ptr<MaterializedImage> materialize(const std::string& spec,
                                                             const ImageLimits& limits,
                                                             core::Diagnostics& diags);

}  // namespace premigrate::image
