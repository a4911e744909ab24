// Telling a disk image from a container archive by its header, and refusing the disk images
// that would make the reader open another file of the host (a qcow2/VMDK/VHD backing file).
#pragma once

#include <string>

namespace premigrate::image {

struct DiskProbe {
  std::string kind;     // what the report and messages call it: "qcow2", "raw disk (MBR)"; "" none
  std::string format;   // the format libguestfs is told: "qcow2" "vmdk" "vpc" "vdi" "raw"
  std::string backing;  // why the image depends on another file ("" when self-contained)
  std::string invalid;  // why the header cannot be a real image of its kind ("" when it can)
};

// Reads the header of the file at `path` (nothing else). A raw disk is recognised by an MBR boot
// signature or a GPT header, or as a bare ext2/3/4 or XFS file system (what virt-make-fs makes
// without a partition table).
[[nodiscard]] DiskProbe probe_disk(const std::string& path);

}  // namespace premigrate::image
