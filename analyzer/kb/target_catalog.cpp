// Target catalog reading and target-id resolution.
#include "kb/target_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/arch.hpp"
#include "core/data_paths.hpp"
#include "core/errors.hpp"
#include "core/stage_times.hpp"
#include "core/text.hpp"
#include "kb/kb.hpp"
#include "kb/pack_format.hpp"

namespace premigrate::kb {

Catalog load_catalog(const std::filesystem::path& kb_dir) {
  const auto file = kb_dir / "targets.json";
  const auto doc = read_json_file(file);
  if (!doc.is_object() || doc.value("schema_version", 0) != kCatalogSchemaVersion)
    throw core::RunError(file.string() + ": unknown target catalog schema_version");
  Catalog c;
  try {
    c.default_family = doc.at("default_family").get<std::string>();
    std::size_t i = 0;
    for (const auto& t : doc.at("targets")) {
      TargetRelease r{t.at("id").get<std::string>(),   t.at("family").get<std::string>(),
                      t.at("name").get<std::string>(), t.at("line").get<std::string>(),
                      t.at("lts").get<bool>(),         t.at("version").get<std::vector<int>>()};
      if (r.id.empty() || std::any_of(r.id.begin(), r.id.end(),
                                      [](unsigned char ch) { return std::isupper(ch) != 0; }))
        throw core::RunError(file.string() + ": targets[" + std::to_string(i) +
                             "]: ids are lower case and non-empty");
      c.targets.push_back(std::move(r));
      ++i;
    }
  } catch (const nlohmann::json::exception& e) {
    throw core::RunError(file.string() + ": malformed catalog: " + e.what());
  }
  return c;
}

const TargetRelease& find_target(const Catalog& catalog, const std::string& id,
                                 const std::string& file) {
  for (const auto& t : catalog.targets)
    if (t.id == id) return t;
  throw core::RunError(file + ": target '" + id + "' is not in targets.json");
}

namespace {

bool has_packs(const std::filesystem::path& kb_dir, const std::string& target_id) {
  std::error_code ec;
  const std::string needle = "_to_" + target_id + "_";
  for (const auto& e : std::filesystem::directory_iterator(kb_dir / "packs", ec))
    if (e.path().filename().string().find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TargetRelease resolve_target(const std::filesystem::path& kb_dir, const std::string& id) {
  const auto catalog = load_catalog(kb_dir);
  std::string lowered = id;
  lowered = core::ascii_lower(lowered);
  const TargetRelease* best = nullptr;
  std::string known;
  for (const auto& t : catalog.targets) {
    if (!has_packs(kb_dir, t.id)) continue;
    known += (known.empty() ? "" : ", ") + t.id;
    if (t.id == lowered) return t;
    const bool candidate =
        lowered.empty() ? (t.family == catalog.default_family && t.lts) : t.line == lowered;
    if (candidate && (!best || best->version < t.version)) best = &t;
  }
  if (!best)
    throw core::UsageError("unknown target '" + id + "' (targets with packs: " + known + ")");
  return *best;
}

std::vector<std::string> resolve_arches(const std::string& arch) {
  if (arch.empty()) return core::arch_names();
  if (!core::parse_arch(arch))
    throw core::UsageError("unknown architecture '" + arch + "' (" + core::arch_names_text() + ")");
  return {arch};
}

std::filesystem::path pack_path(const std::filesystem::path& kb_dir,
                                const std::string& source_release, const std::string& target_id,
                                const std::string& arch) {
  auto p = kb_dir / "packs" / pack_file_name(source_release, target_id, arch);
  if (!std::filesystem::exists(p))
    throw core::RunError(p.string() + ": no KB pack for " + source_release + " -> " + target_id +
                         " on " + arch);
  return p;
}

std::filesystem::path kb_dir_or_default(const std::filesystem::path& kb_dir) {
  return kb_dir.empty() ? core::find_data_dir("knowledgebase") : kb_dir;
}

std::filesystem::path user_kb_dir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg == '/') return std::filesystem::path(xdg) / "premigrate" / "kb";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/") / ".local" / "share" / "premigrate" /
         "kb";
}

std::filesystem::path scan_kb_dir(const std::filesystem::path& kb_dir) {
  if (!kb_dir.empty()) return kb_dir;
  std::error_code ec;
  if (auto user = user_kb_dir(); std::filesystem::exists(user / "targets.json", ec)) return user;
  return kb_dir_or_default(kb_dir);
}

KnowledgeBase load(const std::filesystem::path& kb_dir, const std::string& target,
                   const std::string& arch, const std::string& source_release) {
  const core::StageTimer timer(core::Stage::kKbLoad);
  const auto dir = kb_dir_or_default(kb_dir);
  const auto t = resolve_target(dir, target);
  return read_pack_file(pack_path(dir, source_release, t.id, arch));
}

}  // namespace premigrate::kb
