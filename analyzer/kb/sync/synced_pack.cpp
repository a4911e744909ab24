// Manifest for the mirror's repodata, and the merge of a mirror-built pack with the bundled
// one. Dataset indices are renumbered: bundled datasets that fed only mirror facts go.
#include "kb/sync/synced_pack.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include "core/errors.hpp"
#include "kb/pack_format.hpp"

namespace premigrate::kb::sync {

using nlohmann::json;

namespace {

// The executable folders, as the bundled 20.03 packs keep them: file ownership answers
// "which target package ships this program".
const std::vector<std::string> kFilePrefixes = {"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/",
                                                "/usr/libexec/"};

bool is_mirror_fact(const std::string& f) {
  return std::find(std::begin(kMirrorFacts), std::end(kMirrorFacts), f) != std::end(kMirrorFacts);
}

// Table -> column holding the dataset index, for the tables a sync keeps from the bundled pack.
const std::pair<const char*, std::size_t> kKeptTables[] = {{"source_packages", 2},
                                                           {"source_versions", 2},
                                                           {"dropped_packages", 1},
                                                           {"evolution", 7},
                                                           {"kabi", 5},
                                                           {"source_kabi", 5}};
const char* const kKeptVerbatim[] = {"openssh_sshd_config", "openssh_ssh_config"};

std::string soname_of(const json& row) { return row.at(0).get<std::string>(); }

}  // namespace

namespace {
std::tm utc_tm(std::int64_t t) {
  const auto tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}
}  // namespace

std::string utc_date(std::int64_t t) {
  const auto tm = utc_tm(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string utc_stamp(std::int64_t t) {
  const auto tm = utc_tm(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

json mirror_manifest(const TargetRelease& target, const std::string& source_release,
                     const std::string& arch, const std::vector<SyncedRepo>& repos,
                     const MirrorLayout& layout, const std::string& build_date,
                     const ExportRpms& exports) {
  const bool complete_set =
      std::any_of(repos.begin(), repos.end(), [](const SyncedRepo& r) { return r.repo.complete; });
  json datasets = json::array();
  for (const auto& r : repos) {
    const auto& f = r.fetched;
    // The claim that absence means "not shipped" rests on the repository holding the release.
    const std::string scope = r.repo.complete ? ", which holds every binary package of the release"
                              : complete_set
                                  ? ""
                                  : " (no repository holding the whole release was synced)";
    json facts = {
        {"binary_packages",
         {{"coverage", complete_set ? "complete" : "partial"},
          {"reason", "every package of " + r.repo.name + scope}}},
        {"provides",
         {{"coverage", "partial"},
          {"reason", "soname and plain-name Provides and Obsoletes (names) of every package of " +
                         r.repo.name +
                         "; namespaced provides (perl(), python3dist() ...) not kept"}}},
        {"files",
         {{"coverage", "partial"},
          {"reason", "files of " + r.repo.name + " under the executable folders only"}}}};
    json options = {{"repo", r.repo.repo_class},
                    {"arches", {arch, "noarch"}},
                    {"file_prefixes", kFilePrefixes},
                    {"soname_provides_only", false},
                    {"obsoletes", true}};
    if (!layout.kernel_package.empty()) {
      facts["kernel"] = {
          {"coverage", "complete"},
          {"reason", "the " + layout.kernel_package + " package of the synced repositories"}};
      options["kernel_package"] = layout.kernel_package;
    }
    datasets.push_back(
        {{"id", "mirror-" + r.repo.name},
         {"importer", "repodata"},
         {"inputs", {{"repo", f.dir.string()}}},
         {"options", options},
         {"name", target.name + " " + r.repo.name + " " + arch + " repodata (kb sync)"},
         {"origin", f.url},
         {"commit", f.revision},
         {"date", f.timestamp > 0 ? utc_date(f.timestamp) : ""},
         {"licence", "repository metadata as published by the distribution"},
         {"derived_from", ""},
         {"note", "repomd.xml revision " + f.revision + ", newest timestamp " +
                      std::to_string(f.timestamp) + "; signature: " + f.signature},
         {"facts", facts}});
  }
  if (!exports.rpms.empty()) {
    json inputs = json::object();
    for (std::size_t i = 0; i < exports.rpms.size(); ++i)
      inputs["rpm" + std::to_string(i + 1)] = exports.rpms[i].string();
    std::string names;
    for (const auto& n : exports.packages) names += (names.empty() ? "" : ", ") + n;
    datasets.push_back(
        {{"id", "mirror-exports"},
         {"importer", "rpm-exports"},
         {"inputs", inputs},
         {"options", {{"arches", {arch, "noarch"}}}},
         {"name", target.name + " " + arch + " library packages (kb sync --exports)"},
         {"origin", exports.origin},
         {"commit", ""},
         {"date", ""},
         {"licence", "export lists read from the packages' own shared libraries"},
         {"derived_from", ""},
         {"note", "packages " + names},
         {"facts",
          {{"exports",
            {{"coverage", "partial"},
             {"reason", "the real exports (.dynsym, verdefs) of every shared library of " + names +
                            " from the mirror; other libraries have none from it"}}}}}});
  }
  json unknown = json::object();
  for (const char* fact : kFactKinds)
    if (!is_mirror_fact(fact)) unknown[fact] = "not synced from the mirror";
  unknown["kernel"] = "no kernel package in the synced repositories";
  return {{"schema_version", kManifestSchemaVersion},
          {"kb_version", "0.0.0"},
          {"default_build_date", build_date},
          {"source_release", source_release},
          {"target", target.id},
          {"arch", arch},
          {"unknown_reasons", unknown},
          {"datasets", datasets}};
}

void record_fetched(json& pack, const std::vector<SyncedRepo>& repos, const ExportRpms& exports) {
  auto record = [](json& d, const std::vector<FetchedFile>& fetched_files) {
    json files = json::array(), fetched = json::array();
    for (const auto& f : fetched_files) {
      files.push_back(f.url);
      fetched.push_back({{"url", f.url}, {"checksum", f.checksum}, {"size", f.size}});
    }
    d["files"] = files;
    d["fetched"] = fetched;
  };
  for (auto& d : pack["datasets"]) {
    if (d["id"] == "mirror-exports") record(d, exports.files);
    for (const auto& r : repos)
      if (d["id"] == "mirror-" + r.repo.name) record(d, r.fetched.files);
  }
}

json merge_synced_pack(const json& bundled, const json& mirror, const std::string& source_release,
                       const std::string& stamp) {
  json out = mirror;
  out["source_release"] = source_release;
  const bool mirror_kernel = !mirror["kernel"]["dataset"].is_null();
  auto from_mirror = [&](const std::string& fact) {
    return fact != "kernel" ? is_mirror_fact(fact) : mirror_kernel;
  };
  json datasets = json::array();
  std::map<std::size_t, std::size_t> renumber;  // bundled index -> new index
  std::string version = "0.0.0";
  // Export lists read from the mirror's RPMs (--exports) replace the bundled lists of the same
  // sonames; the bundled lists of other libraries stay.
  std::set<std::string> mirror_sonames;
  for (const auto& r : mirror.value("export_libraries", json::array()))
    mirror_sonames.insert(soname_of(r));
  const json no_rows = json::array();
  const auto& bundled_libs =
      bundled.is_null() ? no_rows : bundled.value("export_libraries", no_rows);
  const auto& bundled_syms = bundled.is_null() ? no_rows : bundled.value("export_symbols", no_rows);
  std::map<std::size_t, std::size_t> libs_total, libs_kept;
  if (!bundled.is_null()) {
    version = bundled.at("kb_version").get<std::string>();
    if (auto plus = version.find('+'); plus != std::string::npos) version.resize(plus);
    // Rows each bundled dataset had in the facts the mirror now gives.
    std::map<std::size_t, std::uint64_t> replaced;
    for (const char* t : {"binary_packages", "provides", "files"})
      for (const auto& row : bundled.at(t)) ++replaced[row.back().get<std::size_t>()];
    if (mirror_kernel && !bundled["kernel"]["dataset"].is_null())
      ++replaced[bundled["kernel"]["dataset"].get<std::size_t>()];
    std::map<std::string, std::uint64_t> symbols_of;
    for (const auto& r : bundled_syms) ++symbols_of[soname_of(r)];
    for (const auto& r : bundled_libs) {
      const auto ds = r.at(6).get<std::size_t>();
      ++libs_total[ds];
      if (mirror_sonames.count(soname_of(r)))
        replaced[ds] += 1 + symbols_of[soname_of(r)];
      else
        ++libs_kept[ds];
    }
    std::size_t i = 0;
    for (const auto& d : bundled.at("datasets")) {
      json facts = json::array();
      const bool exports_gone = libs_total[i] > 0 && libs_kept[i] == 0;
      for (const auto& f : d.at("facts"))
        if (!from_mirror(f.get<std::string>()) && !(f == "exports" && exports_gone))
          facts.push_back(f);
      if (!facts.empty()) {
        json kept = d;
        kept["facts"] = facts;
        kept["rows_in_pack"] = d.at("rows_in_pack").get<std::uint64_t>() - replaced[i];
        renumber[i] = datasets.size();
        datasets.push_back(kept);
      }
      ++i;
    }
  }
  const std::size_t offset = datasets.size();
  for (const auto& d : mirror.at("datasets")) {
    json m = d;
    json facts = json::array();
    for (const auto& f : d.at("facts"))
      if (f != "kernel" || mirror_kernel) facts.push_back(f);
    m["facts"] = facts;
    datasets.push_back(m);
  }
  auto shift = [&](json& rows, std::size_t col) {
    for (auto& r : rows) r[col] = r[col].get<std::size_t>() + offset;
  };
  for (const char* t : {"binary_packages", "provides", "files"})
    shift(out[t], out[t].empty() ? 0 : out[t][0].size() - 1);
  if (mirror_kernel)
    out["kernel"]["dataset"] = out["kernel"]["dataset"].get<std::size_t>() + offset;
  auto renumbered = [&](const json& ds, const char* where) -> json {
    if (ds.is_null()) return ds;
    auto it = renumber.find(ds.get<std::size_t>());
    if (it == renumber.end())
      throw core::RunError(std::string("kb sync: bundled pack: ") + where +
                           " names a dataset that feeds no kept fact");
    return it->second;
  };
  for (const auto& [table, col] : kKeptTables) {
    json rows = json::array();
    if (!bundled.is_null() && bundled.contains(table))
      for (auto r : bundled.at(table)) {
        r[col] = renumbered(r[col], table);
        rows.push_back(r);
      }
    out[table] = rows;
  }
  json libs = json::array(), syms = json::array();
  for (auto r : mirror.value("export_libraries", no_rows)) {
    r[6] = r[6].get<std::size_t>() + offset;
    libs.push_back(r);
  }
  for (auto r : bundled_libs)
    if (!mirror_sonames.count(soname_of(r))) {
      r[6] = renumbered(r[6], "export_libraries");
      libs.push_back(r);
    }
  for (const auto& r : mirror.value("export_symbols", no_rows)) syms.push_back(r);
  for (const auto& r : bundled_syms)
    if (!mirror_sonames.count(soname_of(r))) syms.push_back(r);
  std::sort(libs.begin(), libs.end(),
            [](const json& x, const json& y) { return soname_of(x) < soname_of(y); });
  std::sort(syms.begin(), syms.end());  // rows of strings: (soname, version, symbol) order
  out["export_libraries"] = libs;
  out["export_symbols"] = syms;
  for (const char* table : kKeptVerbatim)
    out[table] = !bundled.is_null() && bundled.contains(table) ? bundled.at(table) : json::array();
  if (!bundled.is_null()) {
    out["openssh"] = bundled.at("openssh");
    out["openssh"]["dataset"] = renumbered(bundled["openssh"]["dataset"], "openssh");
    if (!mirror_kernel) {
      out["kernel"] = bundled.at("kernel");
      out["kernel"]["dataset"] = renumbered(bundled["kernel"]["dataset"], "kernel");
    }
    for (const char* fact : kFactKinds)
      if (!from_mirror(fact)) out["coverage"][fact] = bundled.at("coverage").at(fact);
    if (!mirror_sonames.empty()) {
      const auto& b = bundled.at("coverage").at("exports");
      auto& c = out["coverage"]["exports"];
      c = mirror.at("coverage").at("exports");
      c["status"] = "partial";  // a selection of libraries either way
      if (b.at("status") != "unknown")
        c["reason"] = c["reason"].get<std::string>() + "; " + b["reason"].get<std::string>();
      for (const auto& id : b.at("datasets"))
        for (const auto& d : datasets)
          if (d["id"] == id &&
              std::find(d["facts"].begin(), d["facts"].end(), "exports") != d["facts"].end() &&
              std::find(c["datasets"].begin(), c["datasets"].end(), id) == c["datasets"].end())
            c["datasets"].push_back(id);
    }
  } else {
    for (const char* fact : kFactKinds)
      if (!from_mirror(fact) && !(fact == std::string("exports") && !mirror_sonames.empty()))
        out["coverage"][fact] = {{"status", "unknown"},
                                 {"reason", "no bundled pack for " + source_release + " -> " +
                                                mirror["target"]["id"].get<std::string>() +
                                                "; only the mirror's facts are known"},
                                 {"datasets", json::array()}};
  }
  out["datasets"] = datasets;
  out["kb_version"] = version + "+sync." + stamp;
  return out;
}

}  // namespace premigrate::kb::sync
