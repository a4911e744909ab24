// A loaded KB pack (one migration path and architecture) and the queries the analysis stage
// asks of it. Every answer names the dataset that says so; missing data answers "unknown".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kb/exports.hpp"
#include "kb/model.hpp"

namespace premigrate::kb {

enum class FateKind {
  kPresent,        // a binary package of this name is in the target
  kSourcePresent,  // only source-level data: a source package of this name is in the target
  kProvidedBy,     // absent by name, but target packages provide the name as a capability
  kRenamed,
  kSplit,
  kMerged,
  kReplaced,
  kMoved,
  kDeprecated,
  kRemoved,
  kUnknown,
};
[[nodiscard]] const char* to_string(FateKind k);  // names.cpp: the one table of fate words
[[nodiscard]] std::optional<FateKind> parse_fate_kind(std::string_view word);
// The fate an evolution event's action word states (present, removed, deprecated, replaced,
// split, merged, moved, renamed); nullopt for any other word.
[[nodiscard]] std::optional<FateKind> event_action(std::string_view word);

struct PackageFate {
  FateKind kind = FateKind::kUnknown;
  std::string name;
  std::vector<std::string> targets;   // new names (renamed/split/merged/replaced/provided-by)
  std::string evr;                    // when present
  std::string repo;                   // repo class when present
  std::vector<std::string> datasets;  // dataset ids (or curated file) that say so
  std::string reason;                 // one line: why this answer, or why unknown
  std::string reference;              // curated entries: URL or document + section
  // What the answer rests on: "observed" (the target's own data), "derived" (target data carried
  // from another release or arch, or file ownership), "third-party" (Leapp events, curated
  // entries), "none" (unknown). See package_fate.cpp for the order of evidence.
  std::string evidence = "none";
};

// What the resolver may know of an installed package besides its name: its source package
// (from SOURCERPM), its key files (the executables it owns) and the sonames it provides
// (rpm capabilities such as "libbz2.so.1()(64bit)").
struct FateQuery {
  std::string name;
  std::string source_name;
  std::vector<std::string> key_files;
  std::vector<std::string> key_sonames;
};

struct ProviderMatch {
  std::string package;
  std::string capability;
  std::string version_node;  // e.g. GLIBC_2.17; empty when the capability has none
  std::string dataset;
};

struct FileMatch {
  std::string path, package, dataset;
};

struct KabiLookup {
  bool found = false;
  KabiSymbol symbol;
  std::string dataset;
};

struct KeywordStatus {
  std::string status;  // supported | deprecated | unsupported | ignored | absent | unknown
  std::string openssh_version;
  std::string dataset;
};

class KnowledgeBase {
 public:
  // A pack's text (kb/pack_file.hpp reads one from its file); throws core::RunError naming
  // `name` on an unknown schema or bad data.
  [[nodiscard]] static KnowledgeBase from_text(const std::string& text, const std::string& name);

  [[nodiscard]] const std::string& kb_version() const { return kb_version_; }
  [[nodiscard]] int schema_version() const { return schema_version_; }
  [[nodiscard]] const std::string& build_date() const { return build_date_; }
  [[nodiscard]] const std::string& source_release() const { return source_release_; }
  [[nodiscard]] const TargetRelease& target() const { return target_; }
  [[nodiscard]] const std::string& arch() const { return arch_; }
  [[nodiscard]] const std::vector<Dataset>& datasets() const { return datasets_; }
  [[nodiscard]] const std::string& file() const { return file_; }

  [[nodiscard]] Coverage coverage(std::string_view fact_kind) const;

  // The fate resolver (package_fate.cpp): same name, then Provides/Obsoletes, then file
  // ownership, then third-party events, then the completeness of the lists.
  [[nodiscard]] PackageFate package_fate(std::string_view binary_name) const;
  [[nodiscard]] PackageFate package_fate(const FateQuery& query) const;
  // How many fates rest on each kind of evidence (observed / derived / third-party / none), over
  // the names the pack can speak of: its binary packages and the names its Provides, Obsoletes
  // and evolution events mention (sonames left out). For `kb info`.
  [[nodiscard]] std::map<std::string, std::size_t> fate_evidence_mix() const;
  // Target packages whose Obsoletes name this package (kind "obsoletes" rows of the pack).
  [[nodiscard]] std::vector<ProviderMatch> obsoleters_of(std::string_view name) const;
  [[nodiscard]] std::vector<BinaryPackage> binary_packages(std::string_view name) const;
  [[nodiscard]] std::optional<SourcePackage> source_package(std::string_view name) const;
  // The source package's version from the release version tables (the latest dataset wins).
  [[nodiscard]] std::optional<SourceVersion> source_version(std::string_view name) const;

  // Exact rpm capability (e.g. "libssl.so.1.1()(64bit)" or "webserver").
  [[nodiscard]] std::vector<ProviderMatch> providers_of(std::string_view capability) const;
  // A soname, optionally with a version node; bits64 selects the ()(64bit) flavour.
  [[nodiscard]] std::vector<ProviderMatch> soname_providers(std::string_view soname,
                                                            std::string_view version_node = {},
                                                            bool bits64 = true) const;
  // True when some provides row of this soname (and word size) carries a version node, i.e. the
  // KB can tell a missing node from a node it has no data on.
  [[nodiscard]] bool soname_has_version_nodes(std::string_view soname, bool bits64 = true) const;
  [[nodiscard]] std::optional<FileMatch> shipped_file(std::string_view path) const;
  // An executable name (basename) shipped in any of the pack's files.
  [[nodiscard]] std::vector<FileMatch> executables_named(std::string_view name) const;

  [[nodiscard]] const KernelInfo& kernel() const { return kernel_; }
  [[nodiscard]] KabiLookup kabi_symbol(std::string_view symbol) const;
  [[nodiscard]] KabiLookup source_kabi_symbol(std::string_view symbol) const;
  [[nodiscard]] std::size_t kabi_size() const { return kabi_.size(); }

  // file_kind: "sshd_config" or "ssh_config"; the keyword is matched case-insensitively.
  [[nodiscard]] KeywordStatus openssh_keyword(std::string_view file_kind,
                                              std::string_view keyword) const;

  [[nodiscard]] std::size_t count(std::string_view fact_kind) const;

  // Exported symbols and version nodes of the target's libraries (kb/exports.hpp).
  [[nodiscard]] const ExportIndex& exports() const { return exports_; }

  // Whole tables, for stages that build their own index (the dependency resolver's pool).
  [[nodiscard]] const std::vector<BinaryPackage>& all_binary_packages() const { return binaries_; }
  [[nodiscard]] const std::vector<Provide>& all_provides() const { return provides_; }
  [[nodiscard]] const std::vector<ShippedFile>& all_files() const { return files_; }

 private:
  void build_indexes();
  [[nodiscard]] std::string dataset_id(std::uint32_t index) const;
  // A fate from evolution events, or none; `note` names an imported event that was not applied
  // to the target (its successors are not shipped, or the target's list is unknown).
  struct EvolutionAnswer {
    std::optional<PackageFate> fate;
    std::string note;
  };
  [[nodiscard]] EvolutionAnswer evolution_fate(std::string_view name) const;
  [[nodiscard]] std::optional<PackageFate> successor_fate(const FateQuery& q) const;
  [[nodiscard]] std::optional<PackageFate> release_package_fate(const FateQuery& q) const;
  [[nodiscard]] std::optional<PackageFate> file_owner_fate(const FateQuery& q) const;
  [[nodiscard]] bool derived_dataset(const std::string& id) const;

  std::string file_;
  int schema_version_ = 0;
  std::string kb_version_, build_date_, source_release_, arch_;
  TargetRelease target_;
  std::vector<Dataset> datasets_;
  std::unordered_map<std::string, Coverage> coverage_;
  std::vector<BinaryPackage> binaries_;
  std::vector<SourcePackage> sources_;
  std::vector<SourcePackage> dropped_;
  std::vector<SourceVersion> source_versions_;
  std::vector<EvolutionEvent> evolution_;
  std::vector<Provide> provides_;
  std::vector<Provide> obsoletes_;  // provides rows of kind "obsoletes", kept apart
  std::vector<ShippedFile> files_;
  KernelInfo kernel_;
  std::vector<KabiSymbol> kabi_, source_kabi_;
  OpensshKeywords openssh_;
  ExportIndex exports_;

  std::unordered_multimap<std::string, std::uint32_t> binary_index_;
  std::unordered_map<std::string, std::uint32_t> source_index_, dropped_index_;
  std::unordered_map<std::string, std::uint32_t> source_version_index_;
  std::unordered_multimap<std::string, std::uint32_t> evolution_index_;  // by "in" name
  std::unordered_multimap<std::string, std::uint32_t> provides_index_;   // by capability
  std::unordered_multimap<std::string, std::uint32_t> obsoletes_index_;  // by obsoleted name
  std::unordered_multimap<std::string, std::uint32_t> soname_index_;     // by bare soname
  std::unordered_map<std::string, std::uint32_t> file_index_;
  std::unordered_multimap<std::string, std::uint32_t> exe_index_;  // by basename
  std::unordered_map<std::string, std::uint32_t> kabi_index_, source_kabi_index_;
};

}  // namespace premigrate::kb
