// The package fate resolver: what becomes of a source-distribution package on the target, asked
// of the evidence in a fixed order (the target's own data before third-party knowledge).
#include <algorithm>
#include <map>
#include <set>

#include "kb/evr.hpp"
#include "kb/knowledge_base.hpp"
#include "kb/soname.hpp"

namespace premigrate::kb {

namespace {

FateKind fate_kind_of(const std::string& action) {
  return event_action(action).value_or(FateKind::kUnknown);
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// The release packages of the RHEL family: each provides "system-release", as the target's does.
bool is_release_package(const std::string& name) {
  static const std::set<std::string> kNames = {
      "centos-release",    "centos-linux-release",  "centos-stream-release",
      "redhat-release",    "redhat-release-server", "redhat-release-workstation",
      "almalinux-release", "rocky-release",         "oraclelinux-release"};
  return kNames.count(name) > 0;
}

}  // namespace

bool KnowledgeBase::derived_dataset(const std::string& id) const {
  for (const auto& d : datasets_)
    if (d.id == id) return !d.derived_from.empty();
  return false;
}

std::vector<ProviderMatch> KnowledgeBase::obsoleters_of(std::string_view name) const {
  std::vector<ProviderMatch> out;
  auto [b, e] = obsoletes_index_.equal_range(std::string(name));
  for (auto it = b; it != e; ++it) {
    const auto& p = obsoletes_[it->second];
    out.push_back({p.package, p.capability, "", dataset_id(p.dataset)});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& x, const auto& y) { return x.package < y.package; });
  return out;
}

// Step 2: packages shipped on the target that Provide or Obsolete the name. Obsoletes and
// Provides together are rpm's way to merge or rename; Obsoletes alone replaces; Provides alone
// only keeps the name installable.
std::optional<PackageFate> KnowledgeBase::successor_fate(const FateQuery& q) const {
  const bool list_known = coverage("binary_packages").status != CoverageStatus::kUnknown;
  // Rows carried from another release name packages the target still ships (the builder
  // filters them); rows of the target's own repodata name its own packages. A successor must
  // be in the binary list when there is one.
  auto shipped = [&](const std::string& pkg) {
    return !list_known || !binary_packages(pkg).empty();
  };
  std::map<std::string, std::pair<bool, bool>> by_pkg;  // package -> (provides, obsoletes)
  std::vector<std::string> datasets;
  for (const auto& p : providers_of(q.name)) {
    if (p.package == q.name || !shipped(p.package)) continue;
    by_pkg[p.package].first = true;
    add_unique(datasets, p.dataset);
  }
  // The target's release package Obsoletes what the distribution drops on upgrade
  // (openEuler-release Obsoletes yum-utils): a removal mechanism, not a successor.
  const auto is_release = [&](const std::string& pkg) {
    const auto prov = providers_of("system-release");
    return std::any_of(prov.begin(), prov.end(), [&](const auto& m) { return m.package == pkg; });
  };
  for (const auto& p : obsoleters_of(q.name)) {
    if (p.package == q.name || !shipped(p.package) || is_release(p.package)) continue;
    by_pkg[p.package].second = true;
    add_unique(datasets, p.dataset);
  }
  if (by_pkg.empty()) return std::nullopt;
  std::vector<std::string> both, obsoleting, providing;
  for (const auto& [pkg, how] : by_pkg)
    (how.first && how.second ? both : how.second ? obsoleting : providing).push_back(pkg);
  PackageFate f;
  f.name = q.name;
  f.datasets = datasets;
  if (!both.empty()) {
    f.targets = both;
    // A sibling from the same source package takes the content in (bzip2-libs -> bzip2);
    // another source package taking over the name is a rename (yum-utils -> dnf-plugins-core).
    bool same_source = !q.source_name.empty();
    for (const auto& t : both) {
      const auto pkgs = binary_packages(t);
      same_source = same_source && (pkgs.empty() ? t == q.source_name
                                                 : pkgs.front().source_name == q.source_name ||
                                                       t == q.source_name);
    }
    f.kind =
        both.size() > 1 ? FateKind::kSplit : (same_source ? FateKind::kMerged : FateKind::kRenamed);
    f.reason = joined(both) + " Obsoletes and Provides " + q.name;
  } else if (!obsoleting.empty()) {
    f.targets = obsoleting;
    f.kind = FateKind::kReplaced;
    f.reason = joined(obsoleting) + " Obsoletes " + q.name;
  } else {
    f.targets = providing;
    f.kind = FateKind::kProvidedBy;
    f.reason = "no package of this name; " + joined(providing) + " Provides " + q.name;
  }
  f.repo = binary_packages(f.targets.front()).empty()
               ? std::string()
               : binary_packages(f.targets.front()).front().repo;
  f.evidence = "observed";
  for (const auto& id : datasets)
    if (derived_dataset(id)) f.evidence = "derived";
  f.reason += " (" + joined(datasets) + (f.evidence == "derived" ? ", derived" : "") + ")";
  return f;
}

// The release package maps to the target's: the shipped package that provides system-release.
std::optional<PackageFate> KnowledgeBase::release_package_fate(const FateQuery& q) const {
  if (!is_release_package(q.name)) return std::nullopt;
  const bool list_known = coverage("binary_packages").status != CoverageStatus::kUnknown;
  PackageFate f;
  for (const auto& p : providers_of("system-release")) {
    if (list_known && binary_packages(p.package).empty()) continue;
    // setup and subscription-manager also provide it in 20.03; the release package is named so.
    if (p.package.size() < 8 || p.package.compare(p.package.size() - 8, 8, "-release") != 0)
      continue;
    add_unique(f.targets, p.package);
    add_unique(f.datasets, p.dataset);
  }
  if (f.targets.empty()) return std::nullopt;
  f.name = q.name;
  f.kind = FateKind::kRenamed;
  f.repo = binary_packages(f.targets.front()).empty()
               ? std::string()
               : binary_packages(f.targets.front()).front().repo;
  f.evidence = "observed";
  for (const auto& id : f.datasets)
    if (derived_dataset(id)) f.evidence = "derived";
  f.reason = "the release package: " + joined(f.targets) +
             " is the target's (it Provides system-release; " + joined(f.datasets) + ")";
  return f;
}

// Step 3: the package's key files (executables) or sonames are shipped by a package the
// target ships: merged into it. The same soname is the same ABI, so it counts like a file.
std::optional<PackageFate> KnowledgeBase::file_owner_fate(const FateQuery& q) const {
  std::map<std::string, std::vector<std::string>> owned;  // target package -> key files
  std::vector<std::string> datasets;
  for (const auto& path : q.key_files) {
    auto m = shipped_file(path);
    if (!m || m->package == q.name || binary_packages(m->package).empty()) continue;
    owned[m->package].push_back(path);
    add_unique(datasets, m->dataset);
  }
  for (const auto& cap : q.key_sonames) {
    const auto s = parse_soname_capability(cap, "rpm");
    if (!s || !s->version_node.empty()) continue;
    for (const auto& m : soname_providers(s->soname, "", s->bits64)) {
      if (m.package == q.name || binary_packages(m.package).empty()) continue;
      add_unique(owned[m.package], s->soname);
      add_unique(datasets, m.dataset);
    }
  }
  if (owned.empty()) return std::nullopt;
  PackageFate f;
  f.name = q.name;
  f.kind = FateKind::kMerged;
  std::string files;
  for (const auto& [pkg, paths] : owned) {
    f.targets.push_back(pkg);
    files += (files.empty() ? "" : "; ") + pkg + " owns " + joined(paths);
  }
  f.datasets = datasets;
  f.repo = binary_packages(f.targets.front()).front().repo;
  f.evidence = "derived";
  f.reason = "its files are shipped by another target package: " + files + " (" + joined(datasets) +
             "; derived from file ownership)";
  return f;
}

KnowledgeBase::EvolutionAnswer KnowledgeBase::evolution_fate(std::string_view name) const {
  EvolutionAnswer answer;
  auto [b, e] = evolution_index_.equal_range(std::string(name));
  std::vector<std::uint32_t> hits;
  for (auto it = b; it != e; ++it) hits.push_back(it->second);
  if (hits.empty()) return answer;
  // Curated entries (they carry a reference and name the targets they apply to) win over
  // imported events; then the lowest index, which is the builder's stable order.
  std::sort(hits.begin(), hits.end(), [&](std::uint32_t x, std::uint32_t y) {
    const bool cx = !evolution_[x].reference.empty(), cy = !evolution_[y].reference.empty();
    return cx != cy ? cx : x < y;
  });
  const auto describe = [&](const EvolutionEvent& ev) {
    return ev.action + " in " + ev.from_release + " -> " + ev.to_release + " (" +
           datasets_[ev.dataset].name + ")";
  };
  if (const auto& ev = evolution_[hits.front()]; !ev.reference.empty()) {
    PackageFate f;
    f.name = std::string(name);
    f.kind = fate_kind_of(ev.action);
    f.targets = ev.out;
    f.datasets = {dataset_id(ev.dataset)};
    f.reference = ev.reference;
    f.repo = ev.out_repo;
    f.reason = describe(ev);
    f.evidence = "third-party";
    answer.fate = std::move(f);
    return answer;
  }
  // Imported events describe another distribution's change (RHEL/CentOS 7 -> 8). They say
  // nothing about the target by themselves: only a successor that the target ships is a fact
  // for the target, and only the target's binary package list can tell.
  const bool can_check = coverage("binary_packages").status != CoverageStatus::kUnknown;
  for (const auto idx : hits) {
    const auto& ev = evolution_[idx];
    const auto kind = fate_kind_of(ev.action);
    const bool has_successors = kind == FateKind::kReplaced || kind == FateKind::kSplit ||
                                kind == FateKind::kMerged || kind == FateKind::kRenamed;
    const auto rhel_note = [&](const std::string& why) {
      static const std::map<std::string, std::string, std::less<>> kPhrase = {
          {"replaced", "replaced by "},
          {"split", "split into "},
          {"merged", "merged into "},
          {"renamed", "renamed to "},
          {"moved", "moved to "}};
      std::string says = ev.action;
      if (auto it = kPhrase.find(ev.action); it != kPhrase.end())
        says = it->second + (ev.action == "moved" ? ev.out_repo : joined(ev.out));
      return "a RHEL-family event (" + ev.from_release + " -> " + ev.to_release + ", " +
             datasets_[ev.dataset].name + ") says " + says + "; not applied: " + why;
    };
    if (!has_successors || ev.out.empty()) {
      if (answer.note.empty()) answer.note = rhel_note("it describes RHEL, not the target");
      continue;
    }
    std::vector<std::string> shipped, missing;
    std::vector<std::string> list_datasets;
    std::string via;  // successors the target ships under another name, by its Provides
    for (const auto& succ : ev.out) {
      auto pkgs = can_check ? binary_packages(succ) : std::vector<BinaryPackage>{};
      if (!pkgs.empty()) {
        add_unique(shipped, succ);
        add_unique(list_datasets, dataset_id(pkgs.front().dataset));
        continue;
      }
      bool provided = false;
      for (const auto& p : can_check ? providers_of(succ) : std::vector<ProviderMatch>{}) {
        const auto provider = binary_packages(p.package);
        if (provider.empty() || p.package == name) continue;
        add_unique(shipped, p.package);
        add_unique(list_datasets, p.dataset);
        add_unique(list_datasets, dataset_id(provider.front().dataset));
        via += (via.empty() ? "" : ", ") + succ + " is provided by " + p.package;
        provided = true;
      }
      if (!provided) missing.push_back(succ);
    }
    if (shipped.empty()) {
      if (answer.note.empty())
        answer.note = rhel_note(can_check ? "the target ships none of them"
                                          : "the target's binary package list is unknown");
      continue;
    }
    PackageFate f;
    f.name = std::string(name);
    f.kind = kind;
    f.targets = shipped;
    f.datasets = {dataset_id(ev.dataset)};
    for (auto& id : list_datasets) f.datasets.push_back(std::move(id));
    f.repo = binary_packages(shipped.front()).front().repo;
    f.reason = describe(ev) + "; the target ships " + joined(shipped);
    if (!via.empty()) f.reason += " (" + via + ")";
    if (!missing.empty()) f.reason += " (not " + joined(missing) + ")";
    f.evidence = "third-party";
    answer.fate = std::move(f);
    answer.note.clear();
    return answer;
  }
  return answer;
}

PackageFate KnowledgeBase::package_fate(std::string_view binary_name) const {
  return package_fate(FateQuery{std::string(binary_name), {}, {}, {}});
}

PackageFate KnowledgeBase::package_fate(const FateQuery& q) const {
  PackageFate f;
  f.name = q.name;
  const auto bin_cov = coverage("binary_packages");
  // 1. A binary package of this very name ships in the target: the newest by rpm version order.
  if (auto pkgs = binary_packages(q.name); !pkgs.empty()) {
    const auto* best = &pkgs.front();
    for (const auto& p : pkgs)
      if (evr_compare(p.evr, best->evr) > 0) best = &p;
    const auto& d = datasets_[best->dataset];
    f.kind = FateKind::kPresent;
    f.evr = best->evr;
    f.repo = best->repo;
    f.datasets = {d.id};
    f.evidence = d.derived_from.empty() ? "observed" : "derived";
    f.reason = "binary package listed in " + d.name;
    if (!d.derived_from.empty()) f.reason += " (derived from " + d.derived_from + ")";
    return f;
  }
  // Third-party events are looked up now only so that one the target's data overrides, or
  // that does not apply, can be mentioned in whatever answer follows.
  auto ev = evolution_fate(q.name);
  const auto with_note = [&](PackageFate&& out) {
    if (!ev.note.empty())
      out.reason += "; " + ev.note;
    else if (ev.fate && ev.fate->kind != out.kind)
      out.reason += "; the target's data overrides: " + ev.fate->reason;
    return std::move(out);
  };
  // 2. The target's own Provides/Obsoletes (the release package by its system-release).
  if (auto r = release_package_fate(q)) return with_note(std::move(*r));
  if (auto s = successor_fate(q)) return with_note(std::move(*s));
  // 3. File ownership of the package's key files.
  if (auto o = file_owner_fate(q)) return with_note(std::move(*o));
  // 4. Third-party knowledge: curated entries, then Leapp events whose successors ship.
  if (ev.fate && ev.fate->kind != FateKind::kPresent) return *ev.fate;
  // 5. The completeness of the lists. A deletion record is positive evidence of removal.
  const auto& src_name = q.source_name.empty() ? q.name : q.source_name;
  for (const auto* n : {&q.name, &src_name}) {
    if (auto it = dropped_index_.find(*n); it != dropped_index_.end()) {
      f.kind = FateKind::kRemoved;
      f.datasets = {dataset_id(dropped_[it->second].dataset)};
      f.evidence = derived_dataset(f.datasets.front()) ? "derived" : "observed";
      f.reason = "source package " + *n + " is listed as deleted for the target release";
      return with_note(std::move(f));
    }
  }
  if (bin_cov.status == CoverageStatus::kComplete) {
    // Absent from a complete list and nothing we hold replaces it. While its source package
    // still ships, the content may live in a sibling the data does not name: not "removed".
    if (auto sp = source_package(src_name)) {
      f.kind = FateKind::kUnknown;
      f.repo = sp->repo;
      f.datasets = bin_cov.datasets;
      add_unique(f.datasets, dataset_id(sp->dataset));
      f.reason = "no binary package of this name, but its source package " + src_name +
                 " still ships (" + sp->repo +
                 "); no Provides/Obsoletes or file data names a successor";
      return with_note(std::move(f));
    }
    f.kind = FateKind::kRemoved;
    f.datasets = bin_cov.datasets;
    if (source_index_.size() > 0) add_unique(f.datasets, dataset_id(sources_.front().dataset));
    f.evidence = "observed";
    for (const auto& id : f.datasets)
      if (derived_dataset(id)) f.evidence = "derived";
    f.reason =
        "not in the target's complete binary package list, nothing shipped Provides or "
        "Obsoletes it, and its source package " +
        src_name + " is not in the target";
    return with_note(std::move(f));
  }
  // Source-level lists only.
  if (auto sp = source_package(q.name)) {
    f.kind = FateKind::kSourcePresent;
    f.repo = sp->repo;
    f.datasets = {dataset_id(sp->dataset)};
    f.evidence = "observed";
    f.reason = "a source package of this name is in the target (binary names not known)";
    if (auto v = source_version(q.name)) {
      const auto& d = datasets_[v->dataset];
      f.evr = v->version;
      f.datasets.push_back(d.id);
      f.reason += "; version " + v->version + " per " + d.name +
                  (d.derived_from.empty() ? "" : " (derived from " + d.derived_from + ")");
    }
    return with_note(std::move(f));
  }
  f.kind = FateKind::kUnknown;
  f.reason = bin_cov.status == CoverageStatus::kPartial
                 ? "not in the target's partial binary package list: " + bin_cov.reason
                 : "no binary package list for this target and architecture: " + bin_cov.reason;
  return with_note(std::move(f));
}

std::map<std::string, std::size_t> KnowledgeBase::fate_evidence_mix() const {
  std::set<std::string> names;
  for (const auto& b : binaries_) names.insert(b.name);
  for (const auto& e : evolution_) names.insert(e.in.begin(), e.in.end());
  for (const auto* table : {&provides_, &obsoletes_})
    for (const auto& p : *table)
      if (!parse_soname_capability(p.capability, p.kind)) names.insert(p.capability);
  std::map<std::string, std::size_t> mix{
      {"observed", 0}, {"derived", 0}, {"third-party", 0}, {"none", 0}};
  for (const auto& n : names) ++mix[package_fate(n).evidence];
  return mix;
}

}  // namespace premigrate::kb
