// Importers for the public datasets `kb build` reads. Each returns plain rows and the number
// of input records it read; a malformed input throws core::RunError naming the file and line.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kb/model.hpp"

namespace premigrate::kb::importers {

// Reads a whole file, transparently decompressing .gz, .xz and .zst.
[[nodiscard]] std::string read_maybe_compressed(const std::filesystem::path& file);

struct RepodataOptions {
  std::string repo;                        // repo class recorded on every package
  std::vector<std::string> arches;         // binary arches kept (empty: all but src)
  std::vector<std::string> file_prefixes;  // files kept (empty: none)
  bool soname_provides_only = true;        // provides kept: sonames (+ plain names when false)
  // Also keep rpm:obsoletes names (kind "obsoletes", same filter as provides). The version
  // bound is dropped: an obsoleted name is a successor claim, not an upgrade path.
  bool obsoletes = false;
  bool skip_sonames = false;            // drop soname provides (rows carried to another release)
  std::set<std::string> locations_for;  // packages whose RPM location to report (kb sync --exports)
};

// Where a package's RPM is in the repository (primary.xml <location>, <checksum>, <size>).
struct PackageLocation {
  std::string name, arch, evr, href, checksum_type, checksum;
  std::int64_t size = 0;
};

struct RepodataResult {
  std::vector<BinaryPackage> packages;
  std::vector<Provide> provides;
  std::vector<ShippedFile> files;
  std::vector<PackageLocation> locations;  // of RepodataOptions::locations_for
  std::uint64_t records = 0;               // <package> elements read
};

// `input` is a repository folder (holding repodata/repomd.xml), a repomd.xml, or a primary.xml
// (optionally compressed). With repomd.xml, primary and (when listed) filelists are read.
[[nodiscard]] RepodataResult import_repodata(const std::filesystem::path& input,
                                             const RepodataOptions& options);

// Raw `dnf list` output ("Installed Packages" / "Available Packages" sections).
struct DnfListOptions {
  std::vector<std::string> skip_repos;     // e.g. source, debuginfo
  std::vector<std::string> skip_suffixes;  // name suffixes to drop, e.g. -debuginfo
};
[[nodiscard]] std::vector<BinaryPackage> import_dnf_list(const std::filesystem::path& file,
                                                         const DnfListOptions& options,
                                                         std::uint64_t& records);

// openEuler release-management pckg-mgmt.yaml (list form, or the dict form of 20.03-LTS/SP2).
[[nodiscard]] std::vector<std::string> import_pckg_mgmt(const std::filesystem::path& file);

// A Markdown table of source package versions from openEuler release-management (版本变更说明.md,
// 全量软件包选型.md, "升级选型.md" diffs): the first table whose header has `name_column` and
// `version_column`. Cells are trimmed; "\|" is a literal bar. In a diff table the version cell
// reads "from A to B" and B is taken; "A->B" takes B; a leading "v" before a digit is dropped.
// Rows without a usable version ("", "/", unexpanded %{macros}) are counted but not returned.
struct VersionTableOptions {
  std::string name_column, version_column;
};
[[nodiscard]] std::vector<SourceVersion> import_version_table(const std::filesystem::path& file,
                                                              const VersionTableOptions& options,
                                                              std::uint64_t& records);

// kabi_whitelist_<arch> (optional) and Module.kabi_<arch> (CRC, symbol, module, export type).
[[nodiscard]] std::vector<KabiSymbol> import_kabi(
    const std::optional<std::filesystem::path>& whitelist,
    const std::optional<std::filesystem::path>& module_kabi, std::uint64_t& records);

// BRANCHES.txt of the kernel mirror: "<branch> <commit> key=value...".
[[nodiscard]] KernelInfo import_kernel_branch(const std::filesystem::path& file,
                                              const std::string& branch);

// leapp pes-events.json: events from `from_major` to `to_major` that apply to `arch`.
[[nodiscard]] std::vector<EvolutionEvent> import_pes_events(const std::filesystem::path& file,
                                                            int from_major, int to_major,
                                                            const std::string& arch,
                                                            std::uint64_t& records);

// OpenSSH keyword table (TSV: keyword, one status column per version); the column whose
// header starts with `version` is taken.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> import_openssh_keywords(
    const std::filesystem::path& file, const std::string& version);

// Installed-file list (TSV with package_nvra and path columns), files under the prefixes.
[[nodiscard]] std::vector<ShippedFile> import_file_list(const std::filesystem::path& file,
                                                        const std::vector<std::string>& prefixes,
                                                        std::uint64_t& records);

// ld.so.cache soname -> package map (TSV: soname, cache_flags, ..., package_nvra).
[[nodiscard]] std::vector<Provide> import_soname_map(const std::filesystem::path& file,
                                                     std::uint64_t& records);

// Curated YAML (knowledgebase/curated/*.yaml): evolution entries, each with a reference,
// filtered to one source release and target id.
[[nodiscard]] std::vector<EvolutionEvent> import_curated(const std::filesystem::path& file,
                                                         const std::string& source_release,
                                                         const std::string& target_id,
                                                         std::uint64_t& records);

// Names one architecture has and the other lacks, from two easypackages mapping files
// ("<name> : <openEuler names>"), one per architecture.
struct ArchDiff {
  std::set<std::string> only_base, only_target;
};
[[nodiscard]] ArchDiff import_arch_mapping_diff(const std::filesystem::path& base_mapping,
                                                const std::filesystem::path& target_mapping,
                                                std::uint64_t& records);
// The target architecture's binary packages derived from the base architecture's (arch_derive.cpp).
[[nodiscard]] std::vector<BinaryPackage> derive_arch_packages(
    const std::vector<BinaryPackage>& base, const std::string& base_arch,
    const std::string& target_arch, const ArchDiff& diff);

// Name from an N-V-R or N-V-R.A string (the last two dash-separated fields are V and R).
[[nodiscard]] std::string name_from_nvr(std::string nvr, bool has_arch);

}  // namespace premigrate::kb::importers
