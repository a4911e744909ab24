// `--image DISK[@ROOT_DEVICE]` for disk images (raw, qcow2, VMDK, VHD, VDI) through libguestfs:
// the guest side runs in a forked child (image/guest_child.hpp) under a time budget, and its tar
// stream is applied into the private image root with the container layers' confinement.
#pragma once

#include <string>

#include "core/diagnostics.hpp"
#include "image/disk_probe.hpp"
#include "image/image.hpp"
#include "image/image_ref.hpp"

namespace premigrate::image {

// Whether this build reads disk images (the CMake option PREMIGRATE_DISK_IMAGES).
[[nodiscard]] bool disk_images_supported();

// Fills img's root and info from the disk. Throws core::RunError: exit 7 (kNoDiskReader) when
// the appliance cannot start here or this build has no disk-image support, exit 1 for a disk
// with a backing file, without an OS, or not read within the budget; core::UsageError when the
// disk holds several OSes and ref.selector names none of them.
void read_disk_image(const ImageSpec& ref, const DiskProbe& probe, const ImageLimits& limits,
                     MaterializedImage& img, core::Diagnostics& diags);

}  // namespace premigrate::image
