// Plain value types held by a KB pack: datasets with their provenance, coverage per fact kind,
// and the fact rows (packages, evolution events, provides, files, kernel kABI, OpenSSH keywords).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace premigrate::kb {

// The fact kinds a pack can hold; coverage is reported per kind.
inline constexpr const char* kFactKinds[] = {"binary_packages",
                                             "source_packages",
                                             "source_versions",
                                             "dropped_packages",
                                             "evolution",
                                             "provides",
                                             "files",
                                             "kernel",
                                             "kabi",
                                             "source_kabi",
                                             "openssh",
                                             "exports"};

enum class CoverageStatus { kComplete, kPartial, kUnknown };
[[nodiscard]] const char* to_string(CoverageStatus s);
[[nodiscard]] CoverageStatus coverage_from_string(const std::string& s);

struct Coverage {
  CoverageStatus status = CoverageStatus::kUnknown;
  std::string reason;
  std::vector<std::string> datasets;  // dataset ids that contributed
};

struct Dataset {
  std::string id;
  std::vector<std::string> facts;  // which fact kinds it feeds
  std::string importer;            // repodata, dnf-list, pckg-mgmt, kabi, ...
  std::string name;
  std::string origin;  // repository or URL
  std::string commit;  // commit id, or empty when only a date is known
  std::string date;
  std::string licence;
  std::string derived_from;  // non-empty: the facts were carried over from another release/arch
  std::string note;
  std::vector<std::string> files;  // paths relative to the sources folder (or knowledgebase/)
  std::uint64_t rows = 0;          // records read from the inputs
  std::uint64_t rows_in_pack = 0;  // rows this dataset contributed to the pack
};

struct TargetRelease {
  std::string id;      // openeuler-22.03-lts-sp4
  std::string family;  // openeuler
  std::string name;    // human name
  std::string line;    // openeuler-22.03 (the short id)
  bool lts = false;
  std::vector<int> version;  // ordering key within the family, e.g. {22, 3, 4}
};

struct BinaryPackage {
  std::string name, arch, evr, repo, source_name;
  std::uint32_t dataset = 0;
};

struct SourcePackage {
  std::string name, repo;
  std::uint32_t dataset = 0;
};

// A source package's version for the target from a release version table: the upstream
// version ("2.14.6") or, from a selection diff, version-release ("1.0.0-1").
struct SourceVersion {
  std::string name, version;
  std::uint32_t dataset = 0;
};

struct EvolutionEvent {
  std::string action;  // present, removed, deprecated, replaced, split, merged, moved, renamed
  std::vector<std::string> in, out;
  std::string in_repo, out_repo;
  std::string from_release, to_release;
  std::uint32_t dataset = 0;
  std::string reference;  // curated entries carry their own reference
};

struct Provide {
  std::string capability;  // rpm capability string, or a bare soname for ld.so.cache rows
  std::string kind;        // "rpm" or "ldcache"
  std::string package;     // binary package name
  std::uint32_t dataset = 0;
};

struct ShippedFile {
  std::string path, package;
  std::uint32_t dataset = 0;
};

struct KabiSymbol {
  std::string symbol, crc, module, export_type;
  bool whitelisted = false;
  std::uint32_t dataset = 0;
};

struct KernelInfo {
  std::string version;              // upstream series, e.g. 5.10.0
  std::string release_at_snapshot;  // full release at the dataset's snapshot
  std::int64_t dataset = -1;        // -1: unknown
};

struct OpensshKeywords {
  std::string version;
  std::map<std::string, std::string> sshd_config, ssh_config;  // lower-case keyword -> status
  std::int64_t dataset = -1;
};

}  // namespace premigrate::kb
