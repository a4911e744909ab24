// The guest side of a disk image scan, run in a forked child process: libguestfs launches its
// appliance, inspects the disk, mounts the guest's file systems read-only and streams "/" as a tar
// into a pipe. The parent (image/disk_image.cpp) reads the stream; the child only talks.
#pragma once

#include <string>

namespace premigrate::image {

struct GuestRequest {
  std::string path;        // the disk image file
  std::string format;      // libguestfs's format name ("" lets it guess: never for raw)
  std::string selector;    // the root device of the OS to read, "" when the disk must hold one
  std::string tmpdir;      // libguestfs's temporary files (the read-only overlay): the scratch dir
  bool force_tcg = false;  // LIBGUESTFS_BACKEND_SETTINGS=force_tcg for this attempt
};

// Events on status_fd, one JSON object a line, in this order:
//   {"event":"launched"}
//   {"event":"os","root":..,"product":..,"distro":..,"version":..,"arch":..,"oses":[roots]}
//   {"event":"warn","message":..}  (a file system that would not mount: the copy lacks it)
//   {"event":"extracting"}
//   {"event":"done"}
// or, in place of any of them, {"event":"error","stage":"launch|inspect|select|extract",
// "message":..} and the child ends. The tar of the chosen OS's "/" (without the contents of
// /proc, /sys, /dev and /run) is written to data_fd between "extracting" and "done".
// Returns the child's exit status.
[[nodiscard]] int run_guest_child(const GuestRequest& req, int status_fd, int data_fd);

}  // namespace premigrate::image
