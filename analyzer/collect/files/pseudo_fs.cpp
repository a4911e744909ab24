// Which directories the walk leaves alone as kernel file systems: by name on the live host's /,
// by statfs type everywhere.
#include <linux/magic.h>

#include <string_view>

#include "collect/files/walker.hpp"

namespace premigrate::collect::files {

namespace {

// Magic numbers missing from older <linux/magic.h> copies.
constexpr long kCgroupMagic = 0x27e0eb;
constexpr long kCgroup2Magic = 0x63677270;
constexpr long kTracefsMagic = 0x74726163;
constexpr long kPstoreMagic = 0x6165676c;
constexpr long kBpfMagic = static_cast<long>(0xcafe4a11);
constexpr long kConfigfsMagic = 0x62656570;
constexpr long kFusectlMagic = 0x65735543;
constexpr long kMqueueMagic = 0x19800202;
constexpr long kBinfmtMagic = 0x42494e4d;
constexpr long kSelinuxMagic = static_cast<long>(0xf97cff8c);
constexpr long kEfivarfsMagic = static_cast<long>(0xde5e81e4);
constexpr long kNsfsMagic = 0x6e736673;
constexpr long kAutofsMagic = 0x0187;
constexpr long kRpcPipefsMagic = 0x67596969;

bool has_prefix_dir(std::string_view path, std::string_view dir) {
  return path == dir ||
         (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

}  // namespace

bool is_pseudo_path(std::string_view root_path) {
  for (std::string_view dir : {"/proc", "/sys", "/dev", "/run"}) {
    if (has_prefix_dir(root_path, dir)) return true;
  }
  return false;
}

bool is_pseudo_fs_type(long f_type, std::string_view root_path) {
  switch (f_type) {
    case PROC_SUPER_MAGIC:
    case SYSFS_MAGIC:
    case DEVPTS_SUPER_MAGIC:
    case DEBUGFS_MAGIC:
    case SECURITYFS_MAGIC:
    case kCgroupMagic:
    case kCgroup2Magic:
    case kTracefsMagic:
    case kPstoreMagic:
    case kBpfMagic:
    case kConfigfsMagic:
    case kFusectlMagic:
    case kMqueueMagic:
    case kBinfmtMagic:
    case kSelinuxMagic:
    case kEfivarfsMagic:
    case kNsfsMagic:
    case kAutofsMagic:
    case kRpcPipefsMagic:
      return true;
    case TMPFS_MAGIC:
      // tmpfs holds runtime state under /run and /dev; elsewhere (an image unpacked in /tmp)
      // it may well be the root being scanned.
      return has_prefix_dir(root_path, "/run") || has_prefix_dir(root_path, "/dev");
    default:
      return false;
  }
}

}  // namespace premigrate::collect::files
