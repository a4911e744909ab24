// Scripts, services, cron jobs, config files and the file-walk summary.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "facts/json_optional.hpp"

namespace premigrate::facts {

struct Script {
  std::string path;
  std::string package;
  std::string interpreter;  // as written in the shebang ("/usr/bin/env")
  std::string program;      // what actually runs ("python" for "#!/usr/bin/env python")
  std::vector<std::string> args;
};

struct ServiceUnit {
  std::string path;
  std::string package;
  std::string name;
  std::string kind;                   // "systemd" | "sysv"
  std::vector<std::string> programs;  // ExecStart= etc. (first word, prefixes stripped)
  std::string user;
  bool enabled = false;
};

struct CronJob {
  std::string path;
  std::string package;
  std::string schedule;
  std::string user;
  std::string command;
  std::string program;
};

struct ConfigFile {
  std::string path;
  std::string package;  // NEVRA of the owner, "" for unowned files under /etc
  std::string state;    // "unchanged" | "modified" | "missing" | "unowned" | "unreadable"
  std::string digest_algo;
  bool noreplace = false;
};

struct WalkSummary {
  std::uint64_t files = 0;
  std::uint64_t directories = 0;
  std::uint64_t symlinks = 0;
  std::uint64_t special = 0;  // FIFOs, sockets, devices: never opened
  std::uint64_t elf_objects = 0;
  std::uint64_t unpackaged_files = 0;
  std::uint64_t skipped_too_large = 0;
  std::uint64_t unreadable = 0;
  std::vector<std::string> skipped_mounts;  // pseudo file systems and excluded subtrees
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Script, path, package, interpreter, program, args)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ServiceUnit, path, package, name, kind, programs, user, enabled)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CronJob, path, package, schedule, user, command, program)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ConfigFile, path, package, state, digest_algo, noreplace)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(WalkSummary, files, directories, symlinks, special, elf_objects,
                                   unpackaged_files, skipped_too_large, unreadable, skipped_mounts)

}  // namespace premigrate::facts
