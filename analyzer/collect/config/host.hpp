// Host facts: os-release and the *-release files, the detected source release, installed
// kernels, the default kernel command line, SELinux mode, repositories.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/root_fs.hpp"
#include "facts/host_info.hpp"
#include "facts/package.hpp"

namespace premigrate::collect::config {

struct ReleaseId {
  std::string id;        // "centos-7", "centos-stream-9", "rhel-8", "openeuler-22.03", or ""
  std::string evidence;  // which file and values decided it
};

// From os-release ID/NAME/VERSION_ID: the ID lower-cased, "-stream" when NAME says Stream,
// and the VERSION_ID major (major.minor for date-style versions such as 22.03, whose major
// alone would not name a release).
[[nodiscard]] ReleaseId release_from_os_release(const std::map<std::string, std::string>& osr,
                                                const std::string& file);

// From a "<Name> release <version> (<codename>)" line (centos-release, redhat-release).
[[nodiscard]] ReleaseId release_from_release_line(const std::string& line, const std::string& file);

// The release collect_host would detect (HostInfo::source_release), read ahead of the other
// collectors so that a scan can start loading its KB packs beside the walk; "" when unknown.
// Diagnostics are left to collect_host.
[[nodiscard]] std::string source_release(const core::RootFs& root);

// Everything in HostInfo except enabled_services (from the services collector) and the ELF
// part of architectures (from the walk); architectures holds the package arches here.
[[nodiscard]] facts::HostInfo collect_host(const core::RootFs& root,
                                           const std::vector<facts::Package>& packages,
                                           core::Diagnostics& diags);

}  // namespace premigrate::collect::config
