// The sync run: fetch everything first (a failed fetch writes nothing), build every pack into
// a staging folder inside `out`, then publish each file with rename(2), so a pack is either
// the old one or the new one, never a half-written one.
#include "kb/sync/kb_sync.hpp"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <set>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "kb/builder.hpp"
#include "kb/evr.hpp"
#include "kb/importers.hpp"
#include "kb/kb.hpp"
#include "kb/pack_format.hpp"
#include "kb/soname.hpp"
#include "kb/sync/mirror_layout.hpp"
#include "kb/sync/synced_pack.hpp"
#include "kb/target_catalog.hpp"
#include "kb/validate.hpp"

namespace premigrate::kb::sync {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kStagingPrefix = ".sync-staging-";

std::vector<TargetRelease> pick_targets(const Catalog& catalog, const SyncOptions& o) {
  if (o.all) return catalog.targets;
  if (o.targets.empty()) throw core::UsageError("kb sync: give --target ID (repeatable) or --all");
  std::vector<TargetRelease> out;
  for (const auto& want : o.targets) {
    const auto id = core::ascii_lower(want);
    const TargetRelease* best = nullptr;
    for (const auto& t : catalog.targets) {
      if (t.id == id) {
        best = &t;
        break;
      }
      if (t.line == id && (!best || best->version < t.version)) best = &t;
    }
    if (!best) {
      std::string known;
      for (const auto& t : catalog.targets) known += (known.empty() ? "" : ", ") + t.id;
      throw core::UsageError("kb sync: unknown target '" + want + "' (targets.json has: " + known +
                             ")");
    }
    if (std::none_of(out.begin(), out.end(),
                     [&](const TargetRelease& t) { return t.id == best->id; }))
      out.push_back(*best);
  }
  return out;
}

// The source releases the bundled KB knows (centos-7, centos-8): from its pack names.
std::vector<std::string> source_releases(const fs::path& kb_dir) {
  std::set<std::string> seen;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kb_dir / "packs", ec)) {
    const auto n = e.path().filename().string();
    if (auto p = n.find("_to_"); p != std::string::npos && e.path().extension() == ".json")
      seen.insert(n.substr(0, p));
  }
  if (seen.empty())
    throw core::RunError("kb sync: " + (kb_dir / "packs").string() +
                         ": no bundled packs, so no source release is known");
  return {seen.begin(), seen.end()};
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream f(file, std::ios::binary | std::ios::trunc);
  f << text;
  f.flush();
  if (!f) throw core::RunError("kb sync: " + file.string() + ": cannot write");
}

void copy_into(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec)
    throw core::RunError("kb sync: " + to.string() + ": cannot copy from " + from.string() + ": " +
                         ec.message());
}

bool is_synced_pack(const fs::path& file) {
  try {
    return read_json_file(file).value("kb_version", std::string()).find("+sync.") !=
           std::string::npos;
  } catch (const core::RunError&) {
    return false;
  }
}

// Moves every file of staging/<sub> to out/<sub> (rename within one file system: atomic per file).
void publish(const fs::path& staging, const fs::path& out, const std::string& sub) {
  std::error_code ec;
  if (!fs::is_directory(staging / sub)) return;
  fs::create_directories(out / sub, ec);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(staging / sub, ec)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    fs::rename(f, out / sub / f.filename(), ec);
    if (ec)
      throw core::RunError("kb sync: " + (out / sub / f.filename()).string() + ": " + ec.message());
  }
}

class Staging {
 public:
  explicit Staging(const fs::path& out) {
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) throw core::RunError("kb sync: " + out.string() + ": cannot create: " + ec.message());
    // Left by a killed run: never published, so only removed.
    for (const auto& e : fs::directory_iterator(out, ec))
      if (e.path().filename().string().rfind(kStagingPrefix, 0) == 0) fs::remove_all(e.path(), ec);
    dir_ = out / (kStagingPrefix + std::to_string(getpid()));
    fs::create_directories(dir_ / "packs", ec);
    if (ec) throw core::RunError("kb sync: " + dir_.string() + ": cannot create: " + ec.message());
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  ~Staging() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  [[nodiscard]] const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

struct Job {
  TargetRelease target;
  std::string arch;
  MirrorLayout layout;
  std::vector<SyncedRepo> repos;
  ExportRpms exports;
};

// Sonames a report's "elf-library-exports" checks were not run for ("<soname>: the KB holds
// no export list ..."), per architecture.
std::map<std::string, std::set<std::string>> report_sonames(const std::filesystem::path& report) {
  const auto r = read_json_file(report);
  if (!r.is_object() || !r.contains("verdicts") || !r["verdicts"].is_array())
    throw core::RunError("kb sync: " + report.string() + ": not a premigrate report (no verdicts)");
  std::map<std::string, std::set<std::string>> out;
  for (const auto& v : r["verdicts"]) {
    if (!v.is_object() || !v.contains("checks_not_run") || !v["checks_not_run"].is_array())
      continue;
    const auto arch = v.value("arch", std::string());
    for (const auto& c : v["checks_not_run"]) {
      if (!c.is_object() || c.value("check", std::string()) != "elf-library-exports") continue;
      const auto reason = c.value("reason", std::string());
      const auto soname = reason.substr(0, reason.find(": "));
      if (soname.find(".so") != std::string::npos && soname.find(' ') == std::string::npos)
        out[arch].insert(soname);
    }
  }
  return out;
}

// The newest build of each wanted package in the synced repositories (their primary.xml, read
// by the repodata importer), downloaded into the cache. `sonames`: add their providers.
void fetch_exports(Job& j, std::vector<std::string> names, const std::set<std::string>& sonames,
                   const FetchSettings& s, Progress& progress, std::ostream& err) {
  if (names.empty()) names = j.layout.export_packages;
  if (!sonames.empty()) {
    importers::RepodataOptions po;
    po.arches = {j.arch, "noarch"};
    std::set<std::string> found;
    for (const auto& r : j.repos)
      for (const auto& p : importers::import_repodata(r.fetched.dir, po).provides) {
        const auto cap = parse_soname_capability(p.capability, p.kind);
        if (!cap || !sonames.count(cap->soname)) continue;
        found.insert(cap->soname);
        if (std::find(names.begin(), names.end(), p.package) == names.end())
          names.push_back(p.package);
      }
    for (const auto& so : sonames)
      if (!found.count(so)) {
        progress.finish();
        err << "kb sync: warning: no package of the synced repositories of " << j.target.id << " "
            << j.arch << " provides " << so << "\n";
      }
  }
  importers::RepodataOptions ro;
  ro.arches = {j.arch, "noarch"};
  ro.locations_for.insert(names.begin(), names.end());
  std::map<std::string, std::pair<importers::PackageLocation, const SyncedRepo*>> best;
  for (const auto& r : j.repos)
    for (auto& loc : importers::import_repodata(r.fetched.dir, ro).locations) {
      auto it = best.find(loc.name);
      if (it == best.end() || evr_compare(loc.evr, it->second.first.evr) > 0)
        best[loc.name] = {loc, &r};
    }
  for (const auto& n : names) {
    auto it = best.find(n);
    if (it == best.end()) {
      progress.finish();
      err << "kb sync: warning: " << n << " is not in the synced repositories of " << j.target.id
          << " " << j.arch << "; its export lists are not read\n";
      continue;
    }
    std::filesystem::path dest;
    j.exports.files.push_back(
        fetch_package(it->second.second->fetched, it->second.first, s, progress, dest));
    j.exports.rpms.push_back(dest);
    j.exports.packages.push_back(n);
    if (j.exports.origin.empty()) j.exports.origin = it->second.second->fetched.url;
  }
}

}  // namespace

SyncSummary run_sync(const SyncOptions& o, std::ostream& err) {
  const auto catalog = load_catalog(o.kb_dir);
  const auto targets = pick_targets(catalog, o);
  const auto sources = source_releases(o.kb_dir);
  std::vector<Job> jobs;
  for (const auto& t : targets) {
    const auto layout = load_mirror_layout(o.kb_dir, t);
    const auto repos = select_repos(layout, o.repos);
    for (const auto& arch : o.arches) {
      Job j{t, arch, layout, {}, {}};
      for (const auto& r : repos) j.repos.push_back({r, {}});
      jobs.push_back(std::move(j));
    }
  }

  // 1. Fetch: any failure stops here, before anything is written to `out`.
  Progress progress(o.progress, err);
  std::error_code ec;
  fs::create_directories(o.fetch.cache_dir, ec);
  for (auto& j : jobs)
    for (auto& r : j.repos) {
      r.fetched = fetch_repo(repo_url(o.mirror, j.layout, r.repo, j.arch), o.fetch, progress);
      if (r.fetched.signature.rfind("unsigned", 0) == 0) {
        progress.finish();
        err << "kb sync: warning: " << r.fetched.url
            << " is unsigned (no repodata/repomd.xml.asc)\n";
      }
    }
  if (o.exports) {
    const auto wanted = o.for_report.empty() ? std::map<std::string, std::set<std::string>>()
                                             : report_sonames(o.for_report);
    for (auto& j : jobs) {
      const auto it = wanted.find(j.arch);
      fetch_exports(j, o.export_packages, it == wanted.end() ? std::set<std::string>() : it->second,
                    o.fetch, progress, err);
    }
  }
  progress.finish();

  // 2. Build every pack into the staging folder.
  Staging staging(o.out);
  SyncSummary summary;
  std::set<std::string> written;
  for (const auto& j : jobs) {
    std::int64_t newest = 0;
    for (const auto& r : j.repos) newest = std::max(newest, r.fetched.timestamp);
    // Dated by the mirror's metadata, not the clock: the same mirror state gives the same bytes.
    const std::string date = utc_date(newest > 0 ? newest : std::time(nullptr));
    const std::string stamp = newest > 0 ? utc_stamp(newest) : "undated";
    BuildOptions bo{o.kb_dir, "/", date};
    const auto manifest =
        mirror_manifest(j.target, sources.front(), j.arch, j.repos, j.layout, date, j.exports);
    const auto where = "kb sync (" + j.target.id + " " + j.arch + ")";
    auto mirror_pack = build_pack(manifest, where, bo);
    record_fetched(mirror_pack, j.repos, j.exports);
    for (const auto& src : sources) {
      const auto name = pack_file_name(src, j.target.id, j.arch);
      const auto bundled_file = o.kb_dir / "packs" / name;
      json bundled;
      if (fs::exists(bundled_file)) bundled = read_json_file(bundled_file);
      const auto pack = merge_synced_pack(bundled, mirror_pack, src, stamp);
      const auto problems = validate_pack(pack, name);
      if (!problems.empty()) throw core::RunError("kb sync: " + problems.front());
      write_file(staging.dir() / "packs" / name, write_pack_text(pack));
      written.insert(name);
      summary.packs.push_back(o.out / "packs" / name);
    }
  }

  // 3. The rest of a complete KB: the catalog, the curated files (the analysis profile), and
  //    in the user's folder the bundled packs of the targets not synced.
  const bool same_dir = fs::exists(o.out / "targets.json") && fs::equivalent(o.out, o.kb_dir, ec);
  if (!same_dir) {
    copy_into(o.kb_dir / "targets.json", staging.dir() / "targets.json");
    fs::create_directories(staging.dir() / "curated", ec);
    for (const auto& e : fs::directory_iterator(o.kb_dir / "curated", ec))
      if (e.is_regular_file()) copy_into(e.path(), staging.dir() / "curated" / e.path().filename());
    if (o.copy_unsynced)
      for (const auto& e : fs::directory_iterator(o.kb_dir / "packs", ec)) {
        const auto n = e.path().filename().string();
        if (e.path().extension() != ".json" || written.count(n)) continue;
        if (fs::exists(o.out / "packs" / n) && is_synced_pack(o.out / "packs" / n)) continue;
        copy_into(e.path(), staging.dir() / "packs" / n);
      }
  }

  // 4. Publish.
  publish(staging.dir(), o.out, "packs");
  publish(staging.dir(), o.out, "curated");
  if (fs::exists(staging.dir() / "targets.json")) {
    fs::rename(staging.dir() / "targets.json", o.out / "targets.json", ec);
    if (ec)
      throw core::RunError("kb sync: " + (o.out / "targets.json").string() + ": " + ec.message());
  }
  std::sort(summary.packs.begin(), summary.packs.end());
  summary.files_downloaded = progress.files_downloaded();
  summary.files_cached = progress.files_cached();
  summary.bytes_downloaded = progress.bytes_downloaded();
  return summary;
}

}  // namespace premigrate::kb::sync
