// Facts about the host as a whole: release, kernels, boot command line, SELinux, repos.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "facts/json_optional.hpp"

namespace premigrate::facts {

struct RepoDef {
  std::string file;  // root-relative .repo file
  std::string id;
  std::string name;
  std::vector<std::string> baseurl;
  std::string mirrorlist;
  std::string metalink;
  bool enabled = true;
  bool gpgcheck = true;
};

struct HostInfo {
  std::map<std::string, std::string> os_release;  // parsed /etc/os-release (or usr/lib)
  std::string system_release;           // first line of /etc/centos-release or redhat-release
  std::string source_release;           // detected id: "centos-7", "centos-8", "rhel-8", ... or ""
  std::string source_release_evidence;  // which file and value decided it
  std::vector<std::string> kernels;     // installed kernel releases (lib/modules, boot/vmlinuz-*)
  std::vector<std::string> architectures;  // architectures of installed packages and ELF files
  std::string kernel_cmdline;              // default kernel command line (grub config)
  std::string selinux_mode;                // enforcing | permissive | disabled | ""
  std::vector<std::string> enabled_services;
  std::vector<RepoDef> repos;
  // Directories /etc/ld.so.conf adds to the dynamic linker's search path, in order (its
  // "include" lines followed, globs in the last component).
  std::vector<std::string> ld_so_conf_dirs;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RepoDef, file, id, name, baseurl, mirrorlist, metalink, enabled,
                                   gpgcheck)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HostInfo, os_release, system_release,
                                                source_release, source_release_evidence, kernels,
                                                architectures, kernel_cmdline, selinux_mode,
                                                enabled_services, repos, ld_so_conf_dirs)

}  // namespace premigrate::facts
