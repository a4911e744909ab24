// Pack building: runs the importer each manifest dataset names, merges and sorts the rows,
// derives coverage from the datasets' declared completeness, and records provenance.
#include "kb/builder.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>

#include "core/errors.hpp"
#include "kb/export_builder.hpp"
#include "kb/importers.hpp"
#include "kb/model.hpp"
#include "kb/pack_format.hpp"
#include "kb/target_catalog.hpp"

namespace premigrate::kb {

using nlohmann::json;
namespace imp = importers;

namespace {

struct Rows {
  std::vector<BinaryPackage> binaries;
  std::vector<SourcePackage> sources, dropped;
  std::vector<SourceVersion> source_versions;
  std::vector<EvolutionEvent> evolution;
  std::vector<Provide> provides;
  std::vector<ShippedFile> files;
  std::vector<KabiSymbol> kabi, source_kabi;
  KernelInfo kernel;
  OpensshKeywords openssh;
  ExportRows exports;
};

bool valid_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (d[i] < '0' || d[i] > '9') return false;
  return true;
}

template <typename T>
T opt(const json& o, const char* key, T fallback) {
  return o.contains(key) ? o.at(key).get<T>() : fallback;
}

// Sets the kernel from the package named `kernel_package` among rows (version-release).
void kernel_from_packages(const std::vector<BinaryPackage>& pkgs, const std::string& name,
                          std::uint32_t ds, KernelInfo& k) {
  for (const auto& p : pkgs) {
    if (p.name != name) continue;
    auto evr = p.evr;
    if (auto colon = evr.find(':'); colon != std::string::npos) evr = evr.substr(colon + 1);
    const auto dash = evr.find('-');
    if (k.dataset < 0 || evr > k.release_at_snapshot) {
      k.version = evr.substr(0, dash);
      k.release_at_snapshot = evr;
      k.dataset = ds;
    }
  }
}

// Runs one dataset's importer; returns the number of input records read.
std::uint64_t run_importer(const json& d, std::uint32_t ds, const std::string& source_release,
                           const std::string& target_id, const std::string& arch,
                           const BuildOptions& o, Rows& rows, const std::string& where) {
  const auto importer = d.at("importer").get<std::string>();
  const auto& inputs = d.at("inputs");
  const json options = d.contains("options") ? d.at("options") : json::object();
  std::set<std::string> facts;
  for (const auto& [k, v] : d.at("facts").items()) facts.insert(k);
  auto input = [&](const std::string& role) {
    if (!inputs.contains(role)) throw core::RunError(where + ": inputs lack '" + role + "'");
    const auto rel = inputs.at(role).get<std::string>();
    return rel.rfind("kb:", 0) == 0 ? o.kb_dir / rel.substr(3) : o.sources_dir / rel;
  };
  std::uint64_t records = 0;
  auto repodata_options = [&] {
    imp::RepodataOptions ro;
    ro.repo = opt<std::string>(options, "repo", "");
    ro.arches = opt<std::vector<std::string>>(options, "arches", {});
    ro.file_prefixes = opt<std::vector<std::string>>(options, "file_prefixes", {});
    ro.soname_provides_only = opt<bool>(options, "soname_provides_only", true);
    ro.obsoletes = opt<bool>(options, "obsoletes", false);
    ro.skip_sonames = opt<bool>(options, "skip_sonames", false);
    return ro;
  };
  auto dnf_options = [&] {
    return imp::DnfListOptions{opt<std::vector<std::string>>(options, "skip_repos", {}),
                               opt<std::vector<std::string>>(options, "skip_suffixes", {})};
  };
  if (importer == "repodata") {
    auto r = imp::import_repodata(input("repo"), repodata_options());
    records = r.records;
    // Rows carried from another release: only those of packages this pack's binary list (read
    // by an earlier dataset) still holds.
    if (opt<bool>(options, "only_shipped", false)) {
      std::set<std::string> names;
      for (const auto& b : rows.binaries) names.insert(b.name);
      auto gone = [&](const auto& x) { return names.count(x.package) == 0; };
      r.provides.erase(std::remove_if(r.provides.begin(), r.provides.end(), gone),
                       r.provides.end());
      r.files.erase(std::remove_if(r.files.begin(), r.files.end(), gone), r.files.end());
    }
    for (auto& p : r.packages) p.dataset = ds;
    for (auto& p : r.provides) p.dataset = ds;
    for (auto& f : r.files) f.dataset = ds;
    if (facts.count("kernel"))
      kernel_from_packages(r.packages, options.at("kernel_package").get<std::string>(), ds,
                           rows.kernel);
    if (facts.count("binary_packages"))
      rows.binaries.insert(rows.binaries.end(), r.packages.begin(), r.packages.end());
    if (facts.count("provides"))
      rows.provides.insert(rows.provides.end(), r.provides.begin(), r.provides.end());
    if (facts.count("files")) rows.files.insert(rows.files.end(), r.files.begin(), r.files.end());
  } else if (importer == "arch-derived") {
    // Another architecture's list (dnf list or repodata) less/plus the arch differences.
    const auto format = options.at("format").get<std::string>();
    std::vector<BinaryPackage> base;
    if (format == "dnf-list")
      base = imp::import_dnf_list(input("list"), dnf_options(), records);
    else if (format == "repodata") {
      auto r = imp::import_repodata(input("repo"), repodata_options());
      records = r.records;
      base = std::move(r.packages);
    } else {
      throw core::RunError(where + ": arch-derived format must be dnf-list or repodata");
    }
    const auto diff =
        imp::import_arch_mapping_diff(input("base_mapping"), input("target_mapping"), records);
    auto pk =
        imp::derive_arch_packages(base, options.at("base_arch").get<std::string>(), arch, diff);
    for (auto& p : pk) p.dataset = ds;
    rows.binaries.insert(rows.binaries.end(), pk.begin(), pk.end());
  } else if (importer == "dnf-list") {
    auto pk = imp::import_dnf_list(input("list"), dnf_options(), records);
    for (auto& p : pk) p.dataset = ds;
    if (facts.count("kernel"))
      kernel_from_packages(pk, options.at("kernel_package").get<std::string>(), ds, rows.kernel);
    if (facts.count("binary_packages"))
      rows.binaries.insert(rows.binaries.end(), pk.begin(), pk.end());
  } else if (importer == "pckg-mgmt") {
    for (const auto& [repo, path] : inputs.items()) {
      auto names = imp::import_pckg_mgmt(input(repo));
      records += names.size();
      for (auto& n : names) {
        if (repo == "delete")
          rows.dropped.push_back({n, "", ds});
        else
          rows.sources.push_back({n, repo, ds});
      }
    }
  } else if (importer == "version-table") {
    imp::VersionTableOptions vo{options.at("name_column").get<std::string>(),
                                options.at("version_column").get<std::string>()};
    auto v = imp::import_version_table(input("table"), vo, records);
    for (auto& x : v) x.dataset = ds;
    rows.source_versions.insert(rows.source_versions.end(), v.begin(), v.end());
  } else if (importer == "kabi") {
    std::optional<std::filesystem::path> wl, mk;
    if (inputs.contains("whitelist")) wl = input("whitelist");
    if (inputs.contains("module_kabi")) mk = input("module_kabi");
    auto syms = imp::import_kabi(wl, mk, records);
    for (auto& s : syms) s.dataset = ds;
    auto& dest = facts.count("source_kabi") ? rows.source_kabi : rows.kabi;
    dest.insert(dest.end(), syms.begin(), syms.end());
  } else if (importer == "kernel-branch") {
    auto k = imp::import_kernel_branch(input("branches"), options.at("branch").get<std::string>());
    records = 1;
    k.dataset = ds;
    rows.kernel = k;
  } else if (importer == "pes-events") {
    auto ev = imp::import_pes_events(input("events"), options.at("from_major").get<int>(),
                                     options.at("to_major").get<int>(), arch, records);
    for (auto& e : ev) e.dataset = ds;
    rows.evolution.insert(rows.evolution.end(), ev.begin(), ev.end());
  } else if (importer == "openssh-keywords") {
    const auto version = options.at("version").get<std::string>();
    for (const char* kind : {"sshd_config", "ssh_config"}) {
      if (!inputs.contains(kind)) continue;
      auto kw = imp::import_openssh_keywords(input(kind), version);
      records += kw.size();
      auto& table =
          std::string(kind) == "ssh_config" ? rows.openssh.ssh_config : rows.openssh.sshd_config;
      for (auto& [k, v] : kw) table[k] = v;
    }
    rows.openssh.version = version;
    rows.openssh.dataset = ds;
  } else if (importer == "file-list") {
    auto f = imp::import_file_list(input("files"),
                                   options.at("prefixes").get<std::vector<std::string>>(), records);
    for (auto& x : f) x.dataset = ds;
    rows.files.insert(rows.files.end(), f.begin(), f.end());
  } else if (importer == "soname-map") {
    auto p = imp::import_soname_map(input("map"), records);
    for (auto& x : p) x.dataset = ds;
    rows.provides.insert(rows.provides.end(), p.begin(), p.end());
  } else if (importer == "curated") {
    auto ev = imp::import_curated(input("curated"), source_release, target_id, records);
    for (auto& e : ev) e.dataset = ds;
    rows.evolution.insert(rows.evolution.end(), ev.begin(), ev.end());
  } else if (importer == "exports") {
    records = import_exports(d, ds, input, rows.exports, where);
  } else if (importer == "rpm-exports") {
    records = import_rpm_exports_dataset(d, ds, input, rows.exports);
  } else {
    throw core::RunError(where + ": unknown importer '" + importer + "'");
  }
  return records;
}

std::uint64_t contributed(const Rows& r, std::uint32_t ds) {
  std::uint64_t n = 0;
  auto add = [&](const auto& v) {
    n += static_cast<std::uint64_t>(
        std::count_if(v.begin(), v.end(), [&](const auto& x) { return x.dataset == ds; }));
  };
  add(r.binaries), add(r.sources), add(r.source_versions), add(r.dropped), add(r.evolution),
      add(r.provides);
  add(r.files), add(r.kabi), add(r.source_kabi);
  n += export_rows_of(r.exports, ds);
  if (r.kernel.dataset == ds) ++n;
  if (r.openssh.dataset == ds) n += r.openssh.sshd_config.size() + r.openssh.ssh_config.size();
  return n;
}

json kabi_rows(std::vector<KabiSymbol> v) {
  std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) {
    return std::tie(x.symbol, x.dataset) < std::tie(y.symbol, y.dataset);
  });
  json out = json::array();
  for (const auto& s : v)
    out.push_back({s.symbol, s.crc, s.module, s.export_type, s.whitelisted, s.dataset});
  return out;
}

}  // namespace

std::string resolve_build_date(const BuildOptions& o, const json& manifest,
                               const std::string& manifest_name) {
  if (!o.date.empty()) {
    if (!valid_date(o.date)) throw core::UsageError("--date '" + o.date + "' is not YYYY-MM-DD");
    return o.date;
  }
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH"); sde && *sde) {
    char* end = nullptr;
    const auto secs = std::strtoll(sde, &end, 10);
    if (*end != '\0' || secs < 0)
      throw core::UsageError("SOURCE_DATE_EPOCH '" + std::string(sde) + "' is not a number");
    auto t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
  }
  auto d = manifest.value("default_build_date", std::string());
  if (!valid_date(d))
    throw core::RunError(manifest_name + ": default_build_date must be YYYY-MM-DD");
  return d;
}

std::vector<std::filesystem::path> list_manifests(const std::filesystem::path& kb_dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(kb_dir / "manifests", ec))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string pack_name_for_manifest(const std::filesystem::path& manifest) {
  const auto m = read_json_file(manifest);
  return pack_file_name(m.at("source_release").get<std::string>(),
                        m.at("target").get<std::string>(), m.at("arch").get<std::string>());
}

json build_pack(const std::filesystem::path& manifest_path, const BuildOptions& o) {
  return build_pack(read_json_file(manifest_path), manifest_path.string(), o);
}

json build_pack(const json& m, const std::string& name, const BuildOptions& o) {
  if (!m.is_object() || m.value("schema_version", 0) != kManifestSchemaVersion)
    throw core::RunError(name + ": unknown build manifest schema_version");
  json pack;
  Rows rows;
  std::map<std::string, std::vector<std::tuple<std::string, std::string, std::string>>> cov;
  try {
    const auto source = m.at("source_release").get<std::string>();
    const auto arch = m.at("arch").get<std::string>();
    const auto catalog = load_catalog(o.kb_dir);
    const auto& target = find_target(catalog, m.at("target").get<std::string>(), name);
    pack["schema_version"] = kPackSchemaVersion;
    pack["kb_version"] = m.at("kb_version").get<std::string>();
    pack["build_date"] = resolve_build_date(o, m, name);
    pack["source_release"] = source;
    pack["arch"] = arch;
    pack["target"] = {{"id", target.id},     {"family", target.family},
                      {"name", target.name}, {"line", target.line},
                      {"lts", target.lts},   {"version", target.version}};
    json datasets = json::array();
    std::uint32_t ds = 0;
    for (const auto& d : m.at("datasets")) {
      const std::string where =
          name + ": datasets[" + std::to_string(ds) + "] (" + d.at("id").get<std::string>() + ")";
      const auto records = run_importer(d, ds, source, target.id, arch, o, rows, where);
      json files = json::array(), facts = json::array();
      for (const auto& [role, path] : d.at("inputs").items()) files.push_back(path);
      for (const auto& [fact, c] : d.at("facts").items()) {
        if (std::find(std::begin(kFactKinds), std::end(kFactKinds), fact) == std::end(kFactKinds))
          throw core::RunError(where + ": unknown fact kind '" + fact + "'");
        facts.push_back(fact);
        const auto status = c.at("coverage").get<std::string>();
        (void)coverage_from_string(status);
        cov[fact].emplace_back(status, c.at("reason").get<std::string>(),
                               d.at("id").get<std::string>());
      }
      datasets.push_back({{"id", d.at("id")},
                          {"facts", facts},
                          {"importer", d.at("importer")},
                          {"name", d.at("name")},
                          {"origin", d.at("origin")},
                          {"commit", d.value("commit", "")},
                          {"date", d.value("date", "")},
                          {"licence", d.at("licence")},
                          {"derived_from", d.value("derived_from", "")},
                          {"note", d.value("note", "")},
                          {"files", files},
                          {"rows", records},
                          {"rows_in_pack", 0}});
      ++ds;
    }
    for (std::uint32_t i = 0; i < ds; ++i) datasets[i]["rows_in_pack"] = contributed(rows, i);
    pack["datasets"] = datasets;
    json coverage = json::object();
    const auto unknown = m.value("unknown_reasons", json::object());
    for (const char* fact : kFactKinds) {
      json c{{"status", "unknown"}, {"reason", ""}, {"datasets", json::array()}};
      std::string reasons;
      for (const auto& [status, reason, id] : cov[fact]) {
        if (status == "complete" || (status == "partial" && c["status"] == "unknown"))
          c["status"] = status;
        reasons += (reasons.empty() ? "" : "; ") + reason;
        c["datasets"].push_back(id);
      }
      if (cov[fact].empty()) {
        if (!unknown.contains(fact))
          throw core::RunError(name + ": fact '" + std::string(fact) +
                               "' has no dataset and no unknown_reasons entry");
        reasons = unknown.at(fact).get<std::string>();
      }
      c["reason"] = reasons;
      coverage[fact] = c;
    }
    pack["coverage"] = coverage;
  } catch (const json::exception& e) {
    throw core::RunError(name + ": malformed manifest: " + e.what());
  }

  auto& b = rows.binaries;
  std::sort(b.begin(), b.end(), [](const auto& x, const auto& y) {
    return std::tie(x.name, x.arch, x.evr, x.repo, x.dataset) <
           std::tie(y.name, y.arch, y.evr, y.repo, y.dataset);
  });
  pack["binary_packages"] = json::array();
  for (const auto& p : b)
    pack["binary_packages"].push_back({p.name, p.arch, p.evr, p.repo, p.source_name, p.dataset});
  auto by_name = [](const auto& x, const auto& y) {
    return std::tie(x.name, x.repo, x.dataset) < std::tie(y.name, y.repo, y.dataset);
  };
  std::sort(rows.sources.begin(), rows.sources.end(), by_name);
  std::sort(rows.dropped.begin(), rows.dropped.end(), by_name);
  pack["source_packages"] = json::array();
  for (const auto& s : rows.sources) pack["source_packages"].push_back({s.name, s.repo, s.dataset});
  std::sort(
      rows.source_versions.begin(), rows.source_versions.end(), [](const auto& x, const auto& y) {
        return std::tie(x.name, x.dataset, x.version) < std::tie(y.name, y.dataset, y.version);
      });
  pack["source_versions"] = json::array();
  for (const auto& v : rows.source_versions)
    pack["source_versions"].push_back({v.name, v.version, v.dataset});
  pack["dropped_packages"] = json::array();
  for (const auto& s : rows.dropped) pack["dropped_packages"].push_back({s.name, s.dataset});
  pack["evolution"] = json::array();
  for (const auto& e : rows.evolution)
    pack["evolution"].push_back({e.action, e.in, e.in_repo, e.out, e.out_repo, e.from_release,
                                 e.to_release, e.dataset, e.reference});
  std::sort(rows.provides.begin(), rows.provides.end(), [](const auto& x, const auto& y) {
    return std::tie(x.capability, x.package, x.kind, x.dataset) <
           std::tie(y.capability, y.package, y.kind, y.dataset);
  });
  rows.provides.erase(std::unique(rows.provides.begin(), rows.provides.end(),
                                  [](const auto& x, const auto& y) {
                                    return x.capability == y.capability && x.package == y.package &&
                                           x.kind == y.kind && x.dataset == y.dataset;
                                  }),
                      rows.provides.end());
  pack["provides"] = json::array();
  for (const auto& p : rows.provides)
    pack["provides"].push_back({p.capability, p.kind, p.package, p.dataset});
  std::sort(rows.files.begin(), rows.files.end(), [](const auto& x, const auto& y) {
    return std::tie(x.path, x.package, x.dataset) < std::tie(y.path, y.package, y.dataset);
  });
  pack["files"] = json::array();
  for (const auto& f : rows.files) pack["files"].push_back({f.path, f.package, f.dataset});
  pack["kabi"] = kabi_rows(rows.kabi);
  pack["source_kabi"] = kabi_rows(rows.source_kabi);
  pack["kernel"] = {{"version", rows.kernel.version},
                    {"release_at_snapshot", rows.kernel.release_at_snapshot},
                    {"dataset", rows.kernel.dataset >= 0 ? json(rows.kernel.dataset) : json()}};
  pack["openssh"] = {{"version", rows.openssh.version},
                     {"dataset", rows.openssh.dataset >= 0 ? json(rows.openssh.dataset) : json()}};
  pack["openssh_sshd_config"] = json::array();
  for (const auto& [k, v] : rows.openssh.sshd_config) pack["openssh_sshd_config"].push_back({k, v});
  pack["openssh_ssh_config"] = json::array();
  for (const auto& [k, v] : rows.openssh.ssh_config) pack["openssh_ssh_config"].push_back({k, v});
  try {
    write_export_tables(std::move(rows.exports), pack);
  } catch (const core::RunError& e) {
    throw core::RunError(name + ": " + e.what());
  }
  return pack;
}

}  // namespace premigrate::kb
