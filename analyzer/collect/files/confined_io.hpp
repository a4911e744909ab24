// Opening and listing single paths inside the root for the collectors that read known places
// (/etc/os-release, unit directories, the files rules and checks ask for): core::RootFs
// resolves and opens every path below the root's descriptor, so a link swapped in afterwards
// cannot redirect a read, and a device or FIFO is never opened.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/statuses.hpp"

namespace premigrate::collect::files {

using core::Fd;
using OpenedFile = core::Opened;

// Opens a regular file read-only (its type checked before it is opened for reading). A final
// symlink is followed inside the root when follow_final is true.
[[nodiscard]] OpenedFile open_file(const core::RootFs& root, std::string_view path,
                                   bool follow_final = true);

// The outcome of reading one text file by name.
// The inventory's own set (facts/statuses.hpp): a read's status is carried into
// Inventory::root_reads as it is.
using ReadStatus = facts::ReadStatus;

struct TextRead {
  ReadStatus status = ReadStatus::kMissing;
  std::string text;       // the whole file when kOk
  std::string root_path;  // canonical path that was opened (or the normalised request)
  std::string reason;     // for the other statuses: what stopped it, naming the file type
};

// Reads a whole small text file, up to max_bytes, without diagnostics.
[[nodiscard]] TextRead read_text(const core::RootFs& root, std::string_view path,
                                 std::size_t max_bytes);

// Reads a whole small text file. Returns nullopt when it does not exist (no diagnostic) or
// cannot be read, is not a regular file or is larger than max_bytes (a diagnostic with
// `code` naming the path that was asked for, and where a link led).
[[nodiscard]] std::optional<std::string> read_small_file(const core::RootFs& root,
                                                         std::string_view path,
                                                         core::Diagnostics& diags,
                                                         std::string_view code,
                                                         std::size_t max_bytes = 1 << 20);

// The diagnostic subject for a read: the path asked for, and " -> canonical" when a link led
// elsewhere inside the root.
[[nodiscard]] std::string read_subject(std::string_view asked, const std::string& root_path);

// "a FIFO", "a character device", ... for a stat mode.
[[nodiscard]] std::string file_type_name(mode_t mode);

// The target of the symlink at `path` (its directory part resolved inside the root, the link
// itself not followed); "" when `path` exists but is not a symlink, nullopt when missing.
[[nodiscard]] std::optional<std::string> read_link(const core::RootFs& root, std::string_view path);

struct DirEntry {
  std::string name;
  std::string root_path;    // canonical directory + "/" + name
  mode_t mode = 0;          // lstat mode (a symlink is S_IFLNK)
  std::string link_target;  // for symlinks
};

// Lists a directory (resolved inside the root), sorted by name; nullopt when it is missing
// or not a directory. Entries are lstat'ed, never followed.
[[nodiscard]] std::optional<std::vector<DirEntry>> list_dir(const core::RootFs& root,
                                                            std::string_view path);

// Root-relative paths matching a glob whose wildcards are in the last component only
// ("/etc/sysconfig/network-scripts/ifcfg-*"), sorted; fnmatch with FNM_PERIOD. Entries of any
// type match (the caller decides what to do with a FIFO); nothing is opened but the directory.
[[nodiscard]] std::vector<std::string> glob_paths(const core::RootFs& root,
                                                  std::string_view pattern);

}  // namespace premigrate::collect::files
