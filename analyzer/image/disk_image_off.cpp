// Disk images in a build without libguestfs (PREMIGRATE_DISK_IMAGES=OFF, e.g. the aarch64
// portable tarball): recognised by their header, refused with one line.
#include "core/errors.hpp"
#include "core/text.hpp"
#include "image/disk_image.hpp"

namespace premigrate::image {

bool disk_images_supported() { return false; }

void read_disk_image(const ImageSpec& ref, const DiskProbe& probe, const ImageLimits& /*limits*/,
                     MaterializedImage& /*img*/, core::Diagnostics& /*diags*/) {
  throw core::RunError("image " + core::printable_text(ref.path) + " is a " + probe.kind +
                           " disk image, and this build of premigrate has no disk-image support "
                           "(built without libguestfs): mount it read-only (guestmount --ro -a "
                           "IMAGE -i DIR) and use --root DIR, or use a build with libguestfs",
                       core::ExitCode::kNoDiskReader);
}

}  // namespace premigrate::image
