// Disk image headers: qcow2 (QEMU docs/interop/qcow2.txt), VMDK (VMware Virtual Disk Format
// 1.1: sparse extent header and descriptor), VHD (Virtual Hard Disk Image Format Specification:
// footer copy at offset 0), VDI (VirtualBox header), MBR, GPT, ext2/3/4 and XFS superblocks.
#include "image/disk_probe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include "core/root_fs.hpp"

namespace premigrate::image {

namespace {

std::uint64_t be(const std::string& h, std::size_t off, std::size_t len) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < len && off + i < h.size(); ++i)
    v = (v << 8) | static_cast<unsigned char>(h[off + i]);
  return v;
}

std::uint64_t le(const std::string& h, std::size_t off, std::size_t len) {
  std::uint64_t v = 0;
  for (std::size_t i = len; i > 0; --i)
    if (off + i - 1 < h.size()) v = (v << 8) | static_cast<unsigned char>(h[off + i - 1]);
  return v;
}

bool at(const std::string& h, std::size_t off, const std::string& magic) {
  return h.size() >= off + magic.size() && h.compare(off, magic.size(), magic) == 0;
}

// A VMDK descriptor (text, or embedded in a sparse extent) that names a parent disk.
std::string vmdk_parent(const std::string& text) {
  const auto hint = text.find("parentFileNameHint");
  if (hint != std::string::npos) return "a parent disk (parentFileNameHint)";
  const auto cid = text.find("parentCID=");
  if (cid != std::string::npos && text.compare(cid + 10, 8, "ffffffff") != 0)
    return "a parent disk (parentCID)";
  return {};
}

}  // namespace

DiskProbe probe_disk(const std::string& path) {
  const core::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  std::string head(4096, '\0');
  const ssize_t n = fd.valid() ? ::pread(fd.get(), head.data(), head.size(), 0) : -1;
  if (n <= 0) return {};
  head.resize(static_cast<std::size_t>(n));
  DiskProbe p;
  if (at(head, 0, "QFI\xfb")) {
    p = {"qcow2", "qcow2", "", ""};
    const auto version = be(head, 4, 4);
    const auto cluster_bits = be(head, 20, 4);
    if ((version != 2 && version != 3) || cluster_bits < 9 || cluster_bits > 21 ||
        be(head, 24, 8) == 0)
      p.invalid = "a qcow2 header of version " + std::to_string(version) + ", cluster bits " +
                  std::to_string(cluster_bits) + " and size " + std::to_string(be(head, 24, 8)) +
                  " (QEMU writes version 2 or 3, 9 to 21 cluster bits, a size over 0)";
    if (be(head, 8, 8) != 0) p.backing = "a backing file (the qcow2 header's backing_file_offset)";
    // Version 3 data-file feature: the data lives in another (external) file.
    if (be(head, 4, 4) >= 3 && (be(head, 72, 8) & 4U) != 0)
      p.backing = "an external data file (the qcow2 incompatible feature bit 2)";
    return p;
  }
  if (at(head, 0, "KDMV")) {
    p = {"VMDK", "vmdk", "", ""};
    // The embedded descriptor: at sector descriptorOffset (u64 LE at 28), descriptorSize sectors.
    const auto off = le(head, 28, 8) * 512;
    const auto size = std::min<std::uint64_t>(le(head, 36, 8) * 512, std::uint64_t{64} << 10);
    std::string desc(size, '\0');
    const ssize_t m = off > 0 && size > 0
                          ? ::pread(fd.get(), desc.data(), desc.size(), static_cast<off_t>(off))
                          : 0;
    desc.resize(m > 0 ? static_cast<std::size_t>(m) : 0);
    p.backing = vmdk_parent(desc);
    return p;
  }
  if (at(head, 0, "# Disk DescriptorFile")) {
    // A descriptor file names its extents: other files by definition.
    return {"VMDK", "vmdk", "extent files named by its descriptor (a monolithic VMDK is needed)",
            ""};
  }
  if (at(head, 0, "conectix")) {
    p = {"VHD", "vpc", "", ""};
    if (be(head, 60, 4) == 4) p.backing = "a parent disk (a differencing VHD)";
    return p;
  }
  if (at(head, 64, "\x7f\x10\xda\xbe")) {
    p = {"VDI", "vdi", "", ""};
    if (le(head, 76, 4) == 4) p.backing = "a parent disk (a differencing VDI)";
    return p;
  }
  if (at(head, 512, "EFI PART")) return {"raw disk (GPT)", "raw", "", ""};
  // An MBR: the boot signature and no tar magic ("ustar" at 257) and no compression magic.
  const bool compressed = at(head, 0, "\x1f\x8b") || at(head, 0, "\x28\xb5\x2f\xfd") ||
                          at(head, 0,
                             "\xfd"
                             "7zXZ") ||
                          at(head, 0, "BZh");
  if (!compressed && head.size() >= 512 && head[510] == '\x55' && head[511] == '\xaa' &&
      !at(head, 257, "ustar"))
    return {"raw disk (MBR)", "raw", "", ""};
  if (at(head, 1080, "\x53\xef")) return {"raw file system (ext2/3/4)", "raw", "", ""};
  if (at(head, 0, "XFSB")) return {"raw file system (XFS)", "raw", "", ""};
  return {};
}

}  // namespace premigrate::image
