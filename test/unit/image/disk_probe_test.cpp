// Disk image headers: which format libguestfs is told, and which disks are refused before any
// appliance starts (a backing file, a parent disk, separate extents, an impossible header).
#include "image/disk_probe.hpp"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

using premigrate::image::probe_disk;

namespace {

// A file holding `head` followed by zeros up to 4096 bytes, removed at the end of the scope.
class HeaderFile {
 public:
  explicit HeaderFile(std::string head) {
    char tmpl[] = "/tmp/premigrate-probe-XXXXXX";
    const int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    ::close(fd);
    path_ = tmpl;
    head.resize(std::max<std::size_t>(head.size(), 4096), '\0');
    std::ofstream(path_, std::ios::binary) << head;
  }
  ~HeaderFile() { ::unlink(path_.c_str()); }
  HeaderFile(const HeaderFile&) = delete;
  HeaderFile& operator=(const HeaderFile&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string be32(unsigned v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// A qcow2 header (QEMU docs/interop/qcow2.txt): magic, version, backing file offset, its size,
// cluster bits, virtual size.
std::string qcow2(unsigned version, unsigned backing_offset, unsigned cluster_bits) {
  return std::string("QFI\xfb") + be32(version) + be32(0) + be32(backing_offset) + be32(0) +
         be32(cluster_bits) + be32(0) + be32(1U << 20);
}

}  // namespace

TEST_CASE("a self-contained qcow2 is read as qcow2") {
  const HeaderFile f(qcow2(3, 0, 16));
  const auto p = probe_disk(f.path());
  CHECK(p.kind == "qcow2");
  CHECK(p.format == "qcow2");
  CHECK(p.backing.empty());
  CHECK(p.invalid.empty());
}

TEST_CASE("a qcow2 with a backing file is flagged, whatever the file it names") {
  for (const unsigned version : {2U, 3U}) {
    const HeaderFile f(qcow2(version, 0x200, 16));
    CHECK(probe_disk(f.path()).backing.find("backing file") != std::string::npos);
  }
}

TEST_CASE("a qcow2 header QEMU would not write is invalid") {
  const HeaderFile zeros(std::string("QFI\xfb"));
  CHECK_FALSE(probe_disk(zeros.path()).invalid.empty());
  const HeaderFile bits(qcow2(3, 0, 40));
  CHECK_FALSE(probe_disk(bits.path()).invalid.empty());
}

TEST_CASE("VMDK: a descriptor file and a parent disk are flagged") {
  const HeaderFile desc("# Disk DescriptorFile\nversion=1\n");
  CHECK(probe_disk(desc.path()).format == "vmdk");
  CHECK_FALSE(probe_disk(desc.path()).backing.empty());
  // A sparse extent header whose embedded descriptor (sector 1, one sector) names a parent.
  std::string head = "KDMV";
  head.resize(512, '\0');
  head[28] = 1;  // descriptorOffset = 1 (little endian)
  head[36] = 1;  // descriptorSize = 1
  head += "# Disk DescriptorFile\nparentCID=12345678\nparentFileNameHint=\"/etc/shadow\"\n";
  const HeaderFile child(head);
  CHECK(probe_disk(child.path()).backing.find("parent") != std::string::npos);
}

TEST_CASE("raw disks (MBR, GPT, a bare ext4 file system) are told from a tar") {
  std::string mbr(512, '\0');
  mbr[510] = '\x55';
  mbr[511] = '\xaa';
  const HeaderFile m(mbr);
  CHECK(probe_disk(m.path()).format == "raw");
  const HeaderFile gpt(mbr + "EFI PART");
  CHECK(probe_disk(gpt.path()).kind == "raw disk (GPT)");
  std::string ext(1080, '\0');
  ext += "\x53\xef";
  const HeaderFile e(ext);
  CHECK(probe_disk(e.path()).kind == "raw file system (ext2/3/4)");
  std::string tar = mbr;
  tar.replace(257, 5, "ustar");
  const HeaderFile t(tar);
  CHECK(probe_disk(t.path()).kind.empty());
}
