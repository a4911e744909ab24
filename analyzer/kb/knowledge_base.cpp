// Reads a pack into typed rows, builds lookup indexes, and answers the analysis queries.
#include "kb/knowledge_base.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "kb/evr.hpp"
#include "kb/pack_format.hpp"
#include "kb/soname.hpp"

namespace premigrate::kb {

using nlohmann::json;

const char* to_string(CoverageStatus s) {
  switch (s) {
    case CoverageStatus::kComplete:
      return "complete";
    case CoverageStatus::kPartial:
      return "partial";
    case CoverageStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

CoverageStatus coverage_from_string(const std::string& s) {
  if (s == "complete") return CoverageStatus::kComplete;
  if (s == "partial") return CoverageStatus::kPartial;
  if (s == "unknown") return CoverageStatus::kUnknown;
  throw core::RunError("unknown coverage status '" + s + "'");
}

const char* to_string(FateKind k) {
  switch (k) {
    case FateKind::kPresent:
      return "present";
    case FateKind::kSourcePresent:
      return "source_present";
    case FateKind::kProvidedBy:
      return "provided_by";
    case FateKind::kRenamed:
      return "renamed";
    case FateKind::kSplit:
      return "split";
    case FateKind::kMerged:
      return "merged";
    case FateKind::kReplaced:
      return "replaced";
    case FateKind::kMoved:
      return "moved";
    case FateKind::kDeprecated:
      return "deprecated";
    case FateKind::kRemoved:
      return "removed";
    case FateKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

namespace {

// Reads the rows of one fact kind, reporting the first malformed row by its index.
template <typename Fn>
void each_row(const json& pack, const char* key, std::size_t width, const std::string& file,
              Fn&& fn) {
  auto it = pack.find(key);
  if (it == pack.end()) return;
  if (!it->is_array()) throw core::RunError(file + ": '" + key + "' is not an array");
  std::size_t i = 0;
  for (const auto& row : *it) {
    if (!row.is_array() || row.size() != width)
      throw core::RunError(file + ": " + key + "[" + std::to_string(i) + "]: expected a row of " +
                           std::to_string(width) + " columns");
    fn(row);
    ++i;
  }
}

// A non-negative integer no larger than `max`. nlohmann's get<> of a float or an out-of-range
// integer converts silently (and a float beyond the target range is undefined behaviour), so a
// pack's numbers are checked before they are converted.
std::uint64_t count_of(const json& v, std::uint64_t max, const char* what) {
  if (v.is_number_unsigned()) {
    const auto n = v.get<std::uint64_t>();
    if (n <= max) return n;
  } else if (v.is_number_integer()) {
    const auto n = v.get<std::int64_t>();
    if (n >= 0 && static_cast<std::uint64_t>(n) <= max) return static_cast<std::uint64_t>(n);
  }
  throw core::RunError(std::string(what) + ": expected an integer from 0 to " +
                       std::to_string(max) + ", found " +
                       v.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::uint32_t ds_of(const json& v) {
  return static_cast<std::uint32_t>(count_of(v, 0xFFFFFFFEu, "dataset index"));
}

// A dataset index or null (-1).
std::int64_t optional_ds_of(const json& v) {
  return v.is_null() ? -1 : static_cast<std::int64_t>(ds_of(v));
}

std::vector<int> version_of(const json& v) {
  if (!v.is_array()) throw core::RunError("target.version: expected an array of integers");
  std::vector<int> out;
  for (const auto& part : v)
    out.push_back(static_cast<int>(count_of(part, 1000000, "target.version")));
  return out;
}

}  // namespace

KnowledgeBase KnowledgeBase::from_file(const std::filesystem::path& pack_file) {
  return from_text(read_text_file(pack_file), pack_file.string());
}

KnowledgeBase KnowledgeBase::from_text(const std::string& text, const std::string& name) {
  json pack = parse_json_text(text, name);
  KnowledgeBase kb;
  kb.file_ = name;
  if (!pack.is_object() || !pack.contains("schema_version") ||
      !pack["schema_version"].is_number_integer())
    throw core::RunError(name + ": not a KB pack (no integer schema_version)");
  if (const auto& sv = pack["schema_version"];
      sv.is_number_unsigned() ? sv.get<std::uint64_t>() > 1000000u
                              : (sv.get<std::int64_t>() < 0 || sv.get<std::int64_t>() > 1000000))
    throw core::RunError(name + ": unknown KB pack schema_version " + sv.dump() +
                         " (this program reads " + std::to_string(kPackSchemaVersion) + ")");
  kb.schema_version_ = static_cast<int>(pack["schema_version"].get<std::int64_t>());
  if (kb.schema_version_ != kPackSchemaVersion)
    throw core::RunError(name + ": unknown KB pack schema_version " +
                         std::to_string(kb.schema_version_) + " (this program reads " +
                         std::to_string(kPackSchemaVersion) + ")");
  try {
    kb.kb_version_ = pack.at("kb_version").get<std::string>();
    kb.build_date_ = pack.at("build_date").get<std::string>();
    kb.source_release_ = pack.at("source_release").get<std::string>();
    kb.arch_ = pack.at("arch").get<std::string>();
    const auto& t = pack.at("target");
    kb.target_ = {t.at("id").get<std::string>(),   t.at("family").get<std::string>(),
                  t.at("name").get<std::string>(), t.at("line").get<std::string>(),
                  t.at("lts").get<bool>(),         version_of(t.at("version"))};
    for (const auto& d : pack.at("datasets")) {
      Dataset ds;
      ds.id = d.at("id").get<std::string>();
      ds.facts = d.at("facts").get<std::vector<std::string>>();
      ds.importer = d.at("importer").get<std::string>();
      ds.name = d.at("name").get<std::string>();
      ds.origin = d.at("origin").get<std::string>();
      ds.commit = d.at("commit").get<std::string>();
      ds.date = d.at("date").get<std::string>();
      ds.licence = d.at("licence").get<std::string>();
      ds.derived_from = d.at("derived_from").get<std::string>();
      ds.note = d.at("note").get<std::string>();
      ds.files = d.at("files").get<std::vector<std::string>>();
      ds.rows = count_of(d.at("rows"), UINT64_MAX, "datasets[].rows");
      ds.rows_in_pack = count_of(d.at("rows_in_pack"), UINT64_MAX, "datasets[].rows_in_pack");
      kb.datasets_.push_back(std::move(ds));
    }
    for (const auto& [kind, c] : pack.at("coverage").items()) {
      kb.coverage_[kind] = {coverage_from_string(c.at("status").get<std::string>()),
                            c.at("reason").get<std::string>(),
                            c.at("datasets").get<std::vector<std::string>>()};
    }
    each_row(pack, "binary_packages", 6, name, [&](const json& r) {
      kb.binaries_.push_back({r[0].get<std::string>(), r[1].get<std::string>(),
                              r[2].get<std::string>(), r[3].get<std::string>(),
                              r[4].get<std::string>(), ds_of(r[5])});
    });
    each_row(pack, "source_packages", 3, name, [&](const json& r) {
      kb.sources_.push_back({r[0].get<std::string>(), r[1].get<std::string>(), ds_of(r[2])});
    });
    each_row(pack, "source_versions", 3, name, [&](const json& r) {
      kb.source_versions_.push_back(
          {r[0].get<std::string>(), r[1].get<std::string>(), ds_of(r[2])});
    });
    each_row(pack, "dropped_packages", 2, name, [&](const json& r) {
      kb.dropped_.push_back({r[0].get<std::string>(), "", ds_of(r[1])});
    });
    each_row(pack, "evolution", 9, name, [&](const json& r) {
      kb.evolution_.push_back({r[0].get<std::string>(), r[1].get<std::vector<std::string>>(),
                               r[3].get<std::vector<std::string>>(), r[2].get<std::string>(),
                               r[4].get<std::string>(), r[5].get<std::string>(),
                               r[6].get<std::string>(), ds_of(r[7]), r[8].get<std::string>()});
    });
    each_row(pack, "provides", 4, name, [&](const json& r) {
      // Obsoletes are successor claims, not capabilities: the dependency resolver must not see
      // them.
      auto& dest = r[1].get<std::string>() == "obsoletes" ? kb.obsoletes_ : kb.provides_;
      dest.push_back(
          {r[0].get<std::string>(), r[1].get<std::string>(), r[2].get<std::string>(), ds_of(r[3])});
    });
    each_row(pack, "files", 3, name, [&](const json& r) {
      kb.files_.push_back({r[0].get<std::string>(), r[1].get<std::string>(), ds_of(r[2])});
    });
    auto kabi_row = [](const json& r) {
      return KabiSymbol{r[0].get<std::string>(), r[1].get<std::string>(), r[2].get<std::string>(),
                        r[3].get<std::string>(), r[4].get<bool>(),        ds_of(r[5])};
    };
    each_row(pack, "kabi", 6, name, [&](const json& r) { kb.kabi_.push_back(kabi_row(r)); });
    each_row(pack, "source_kabi", 6, name,
             [&](const json& r) { kb.source_kabi_.push_back(kabi_row(r)); });
    if (auto k = pack.find("kernel"); k != pack.end()) {
      kb.kernel_.version = k->at("version").get<std::string>();
      kb.kernel_.release_at_snapshot = k->at("release_at_snapshot").get<std::string>();
      kb.kernel_.dataset = optional_ds_of(k->at("dataset"));
    }
    if (auto o = pack.find("openssh"); o != pack.end()) {
      kb.openssh_.version = o->at("version").get<std::string>();
      kb.openssh_.dataset = optional_ds_of(o->at("dataset"));
    }
    each_row(pack, "openssh_sshd_config", 2, name, [&](const json& r) {
      kb.openssh_.sshd_config[r[0].get<std::string>()] = r[1].get<std::string>();
    });
    each_row(pack, "openssh_ssh_config", 2, name, [&](const json& r) {
      kb.openssh_.ssh_config[r[0].get<std::string>()] = r[1].get<std::string>();
    });
    kb.exports_ = ExportIndex::from_pack(pack, name, kb.datasets_.size());
  } catch (const json::exception& e) {
    throw core::RunError(name + ": malformed KB pack: " + e.what());
  } catch (const core::RunError& e) {
    throw core::RunError(name + ": malformed KB pack: " + e.what());
  }
  const auto n = kb.datasets_.size();
  auto check = [&](std::uint64_t ds, const char* what) {
    if (ds >= n)
      throw core::RunError(name + ": " + what + " row names dataset " + std::to_string(ds) +
                           " but the pack lists " + std::to_string(n));
  };
  for (const auto& r : kb.binaries_) check(r.dataset, "binary_packages");
  for (const auto& r : kb.provides_) check(r.dataset, "provides");
  for (const auto& r : kb.obsoletes_) check(r.dataset, "provides");
  for (const auto& r : kb.files_) check(r.dataset, "files");
  for (const auto& r : kb.evolution_) check(r.dataset, "evolution");
  for (const auto& r : kb.source_versions_) check(r.dataset, "source_versions");
  for (const auto& r : kb.kabi_) check(r.dataset, "kabi");
  for (const auto& r : kb.source_kabi_) check(r.dataset, "source_kabi");
  for (const auto& r : kb.sources_) check(r.dataset, "source_packages");
  for (const auto& r : kb.dropped_) check(r.dataset, "dropped_packages");
  if (kb.kernel_.dataset >= 0) check(static_cast<std::uint64_t>(kb.kernel_.dataset), "kernel");
  if (kb.openssh_.dataset >= 0) check(static_cast<std::uint64_t>(kb.openssh_.dataset), "openssh");
  kb.build_indexes();
  return kb;
}

void KnowledgeBase::build_indexes() {
  auto u32 = [](std::size_t i) { return static_cast<std::uint32_t>(i); };
  binary_index_.reserve(binaries_.size());
  for (std::size_t i = 0; i < binaries_.size(); ++i)
    binary_index_.emplace(binaries_[i].name, u32(i));
  for (std::size_t i = 0; i < sources_.size(); ++i) source_index_.emplace(sources_[i].name, u32(i));
  for (std::size_t i = 0; i < dropped_.size(); ++i)
    dropped_index_.emplace(dropped_[i].name, u32(i));
  // A later dataset of the manifest (a service pack's selection diff) overrides an earlier one.
  for (std::size_t i = 0; i < source_versions_.size(); ++i) {
    auto [it, fresh] = source_version_index_.emplace(source_versions_[i].name, u32(i));
    if (!fresh && source_versions_[it->second].dataset < source_versions_[i].dataset)
      it->second = u32(i);
  }
  for (std::size_t i = 0; i < evolution_.size(); ++i)
    for (const auto& n : evolution_[i].in) evolution_index_.emplace(n, u32(i));
  provides_index_.reserve(provides_.size());
  for (std::size_t i = 0; i < provides_.size(); ++i) {
    provides_index_.emplace(provides_[i].capability, u32(i));
    if (auto s = parse_soname_capability(provides_[i].capability, provides_[i].kind))
      soname_index_.emplace(s->soname, u32(i));
  }
  for (std::size_t i = 0; i < obsoletes_.size(); ++i)
    obsoletes_index_.emplace(obsoletes_[i].capability, u32(i));
  file_index_.reserve(files_.size());
  for (std::size_t i = 0; i < files_.size(); ++i) {
    file_index_.emplace(files_[i].path, u32(i));
    const auto slash = files_[i].path.rfind('/');
    exe_index_.emplace(files_[i].path.substr(slash == std::string::npos ? 0 : slash + 1), u32(i));
  }
  for (std::size_t i = 0; i < kabi_.size(); ++i) kabi_index_.emplace(kabi_[i].symbol, u32(i));
  for (std::size_t i = 0; i < source_kabi_.size(); ++i)
    source_kabi_index_.emplace(source_kabi_[i].symbol, u32(i));
}

std::string KnowledgeBase::dataset_id(std::uint32_t index) const {
  return index < datasets_.size() ? datasets_[index].id : std::string();
}

Coverage KnowledgeBase::coverage(std::string_view fact_kind) const {
  if (auto it = coverage_.find(std::string(fact_kind)); it != coverage_.end()) return it->second;
  return {CoverageStatus::kUnknown, "the pack has no coverage entry for this fact kind", {}};
}

std::size_t KnowledgeBase::count(std::string_view k) const {
  if (k == "binary_packages") return binaries_.size();
  if (k == "source_packages") return sources_.size();
  if (k == "source_versions") return source_versions_.size();
  if (k == "dropped_packages") return dropped_.size();
  if (k == "evolution") return evolution_.size();
  if (k == "provides") return provides_.size() + obsoletes_.size();
  if (k == "files") return files_.size();
  if (k == "kernel") return kernel_.dataset >= 0 ? 1 : 0;
  if (k == "kabi") return kabi_.size();
  if (k == "source_kabi") return source_kabi_.size();
  if (k == "openssh") return openssh_.sshd_config.size() + openssh_.ssh_config.size();
  if (k == "exports") return exports_.symbol_count();
  return 0;
}

std::vector<BinaryPackage> KnowledgeBase::binary_packages(std::string_view name) const {
  std::vector<BinaryPackage> out;
  auto [b, e] = binary_index_.equal_range(std::string(name));
  for (auto it = b; it != e; ++it) out.push_back(binaries_[it->second]);
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.arch, x.evr, x.repo) < std::tie(y.arch, y.evr, y.repo);
  });
  return out;
}

std::optional<SourceVersion> KnowledgeBase::source_version(std::string_view name) const {
  if (auto it = source_version_index_.find(std::string(name)); it != source_version_index_.end())
    return source_versions_[it->second];
  return std::nullopt;
}

std::optional<SourcePackage> KnowledgeBase::source_package(std::string_view name) const {
  if (auto it = source_index_.find(std::string(name)); it != source_index_.end())
    return sources_[it->second];
  return std::nullopt;
}

std::vector<ProviderMatch> KnowledgeBase::providers_of(std::string_view capability) const {
  std::vector<ProviderMatch> out;
  auto [b, e] = provides_index_.equal_range(std::string(capability));
  for (auto it = b; it != e; ++it) {
    const auto& p = provides_[it->second];
    auto s = parse_soname_capability(p.capability, p.kind);
    out.push_back({p.package, p.capability, s ? s->version_node : "", dataset_id(p.dataset)});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.package < y.package; });
  return out;
}

bool KnowledgeBase::soname_has_version_nodes(std::string_view soname, bool bits64) const {
  auto [b, e] = soname_index_.equal_range(std::string(soname));
  for (auto it = b; it != e; ++it) {
    const auto& p = provides_[it->second];
    auto s = parse_soname_capability(p.capability, p.kind);
    if (s && s->bits64 == bits64 && !s->version_node.empty()) return true;
  }
  return false;
}

std::vector<ProviderMatch> KnowledgeBase::soname_providers(std::string_view soname,
                                                           std::string_view version_node,
                                                           bool bits64) const {
  std::vector<ProviderMatch> out;
  auto [b, e] = soname_index_.equal_range(std::string(soname));
  for (auto it = b; it != e; ++it) {
    const auto& p = provides_[it->second];
    auto s = parse_soname_capability(p.capability, p.kind);
    if (!s || s->bits64 != bits64) continue;
    if (!version_node.empty() && s->version_node != version_node) continue;
    if (version_node.empty() && !s->version_node.empty()) continue;
    out.push_back({p.package, p.capability, s->version_node, dataset_id(p.dataset)});
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.package, x.capability) < std::tie(y.package, y.capability);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& x, const auto& y) {
                          return x.package == y.package && x.capability == y.capability;
                        }),
            out.end());
  return out;
}

std::optional<FileMatch> KnowledgeBase::shipped_file(std::string_view path) const {
  if (auto it = file_index_.find(std::string(path)); it != file_index_.end()) {
    const auto& f = files_[it->second];
    return FileMatch{f.path, f.package, dataset_id(f.dataset)};
  }
  return std::nullopt;
}

std::vector<FileMatch> KnowledgeBase::executables_named(std::string_view name) const {
  std::vector<FileMatch> out;
  auto [b, e] = exe_index_.equal_range(std::string(name));
  for (auto it = b; it != e; ++it) {
    const auto& f = files_[it->second];
    out.push_back({f.path, f.package, dataset_id(f.dataset)});
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.path < y.path; });
  return out;
}

KabiLookup KnowledgeBase::kabi_symbol(std::string_view symbol) const {
  if (auto it = kabi_index_.find(std::string(symbol)); it != kabi_index_.end())
    return {true, kabi_[it->second], dataset_id(kabi_[it->second].dataset)};
  return {};
}

KabiLookup KnowledgeBase::source_kabi_symbol(std::string_view symbol) const {
  if (auto it = source_kabi_index_.find(std::string(symbol)); it != source_kabi_index_.end())
    return {true, source_kabi_[it->second], dataset_id(source_kabi_[it->second].dataset)};
  return {};
}

KeywordStatus KnowledgeBase::openssh_keyword(std::string_view file_kind,
                                             std::string_view keyword) const {
  KeywordStatus st{"unknown", openssh_.version,
                   openssh_.dataset >= 0 ? dataset_id(static_cast<std::uint32_t>(openssh_.dataset))
                                         : std::string()};
  const auto& table = file_kind == "ssh_config" ? openssh_.ssh_config : openssh_.sshd_config;
  if (auto it = table.find(core::ascii_lower(keyword)); it != table.end()) st.status = it->second;
  return st;
}

}  // namespace premigrate::kb
