// Builds the lookup indexes of a loaded pack and answers the analysis queries (the pack is read
// in pack_reader.cpp, package fates are resolved in package_fate.cpp).
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
