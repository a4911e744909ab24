// The Inventory: everything the collectors found on one root, the raw material of a report.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "facts/elf_object.hpp"
#include "facts/host_files.hpp"
#include "facts/host_info.hpp"
#include "facts/kernel_module.hpp"
#include "facts/package.hpp"
#include "facts/root_reads.hpp"
#include "facts/statuses.hpp"

namespace premigrate::facts {

// 2: kernel_modules[].license is a list (every license= tag), no longer the first one alone.
inline constexpr int kInventorySchemaVersion = 2;

// Which collectors ran, and what stopped those that did not.
struct CollectorStatus {
  std::string name;  // "rpmdb", "files", "elf", "kmod", "config", "host"
  CollectorState status = CollectorState::kOk;
  std::string reason;
};

struct Inventory {
  std::string root;  // the host path that was scanned, as given
  HostInfo host;
  RpmDbInfo rpmdb;
  std::vector<Package> packages;
  std::vector<ElfObject> elf_objects;
  std::vector<KernelModule> kernel_modules;
  std::vector<Script> scripts;
  std::vector<ServiceUnit> services;
  std::vector<CronJob> cron_jobs;
  std::vector<ConfigFile> config_files;
  WalkSummary walk;
  RootReads root_reads;  // what the analysis asked of the root, answered by collect
  std::vector<CollectorStatus> collectors;

  // Sorts every list by its natural key, so output never depends on thread timing.
  void canonicalize();
};

// JSON, keys sorted; round-trips (from_json(to_json(x)) == x) so diff/fleet can reload it.
void to_json(nlohmann::json& j, const Inventory& v);

// Streams the same document as to_json (keys sorted) plus `extra` top-level members, one list
// element per line, without building the whole tree: an inventory of a large host is hundreds
// of MB as a nlohmann::json value. Invalid UTF-8 is replaced, never thrown on.
void write_json(std::ostream& out, const Inventory& v, const nlohmann::json& extra);
void from_json(const nlohmann::json& j, Inventory& v);

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CollectorStatus, name, status, reason)

}  // namespace premigrate::facts
