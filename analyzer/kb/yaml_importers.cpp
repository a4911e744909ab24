// YAML importers: openEuler release-management pckg-mgmt.yaml and the curated evolution files.
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "core/errors.hpp"
#include "kb/importers.hpp"
#include "kb/knowledge_base.hpp"
#include "kb/pack_format.hpp"

namespace premigrate::kb::importers {

namespace {

YAML::Node load_yaml(const std::filesystem::path& file) {
  const auto text = read_text_file(file);
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw core::RunError(file.string() + ":" + std::to_string(e.mark.line + 1) +
                         ": invalid YAML: " + e.msg);
  }
}

[[noreturn]] void fail(const std::filesystem::path& file, const YAML::Node& at,
                       const std::string& what) {
  const auto line = at.Mark().line >= 0 ? at.Mark().line + 1 : 0;
  throw core::RunError(file.string() + ":" + std::to_string(line) + ": " + what);
}

std::vector<std::string> string_list(const std::filesystem::path& file, const YAML::Node& n,
                                     const char* key) {
  std::vector<std::string> out;
  const auto v = n[key];
  if (!v) return out;
  if (v.IsScalar()) return {v.as<std::string>()};
  if (!v.IsSequence()) fail(file, v, std::string("'") + key + "' must be a string or a list");
  for (const auto& x : v) out.push_back(x.as<std::string>());
  return out;
}

void names_from_list(const std::filesystem::path& file, const YAML::Node& list,
                     std::vector<std::string>& out) {
  if (!list || list.IsNull()) return;
  if (!list.IsSequence()) fail(file, list, "expected a list of packages");
  for (const auto& item : list) {
    if (!item.IsMap() || !item["name"] || !item["name"].IsScalar())
      fail(file, item, "package entry without a 'name'");
    out.push_back(item["name"].as<std::string>());
  }
}

}  // namespace

std::vector<std::string> import_pckg_mgmt(const std::filesystem::path& file) {
  const auto doc = load_yaml(file);
  if (!doc.IsMap() || !doc["packages"]) fail(file, doc, "no top-level 'packages'");
  const auto pk = doc["packages"];
  std::vector<std::string> out;
  if (pk.IsSequence()) {
    names_from_list(file, pk, out);
  } else if (pk.IsMap()) {
    // 20.03-LTS / 20.03-LTS-SP2 form: packages: {natural: [...], recycle: [...], delete: [...]}
    // The shipped set is natural + recycle; delete names packages removed from the release.
    names_from_list(file, pk["natural"], out);
    names_from_list(file, pk["recycle"], out);
  } else if (!pk.IsNull()) {
    fail(file, pk, "'packages' must be a list or a map");
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<EvolutionEvent> import_curated(const std::filesystem::path& file,
                                           const std::string& source_release,
                                           const std::string& target_id, std::uint64_t& records) {
  const auto doc = load_yaml(file);
  if (!doc.IsMap() || !doc["schema_version"] || doc["schema_version"].as<int>() != 1)
    fail(file, doc, "curated file needs schema_version: 1");
  const auto entries = doc["entries"];
  if (!entries || !entries.IsSequence()) fail(file, doc, "no 'entries' list");
  std::vector<EvolutionEvent> out;
  for (const auto& e : entries) {
    if (!e.IsMap()) fail(file, e, "entry is not a map");
    for (const char* k : {"id", "action", "from", "reference", "sources", "targets"})
      if (!e[k]) fail(file, e, std::string("entry lacks '") + k + "'");
    ++records;
    const auto action = e["action"].as<std::string>();
    if (!event_action(action)) fail(file, e["action"], "unknown action '" + action + "'");
    const auto reference = e["reference"].as<std::string>();
    if (reference.empty()) fail(file, e["reference"], "empty reference");
    const auto sources = string_list(file, e, "sources");
    const auto targets = string_list(file, e, "targets");
    auto matches = [](const std::vector<std::string>& list, const std::string& v) {
      return std::any_of(list.begin(), list.end(), [&](const std::string& x) {
        return x == v || (x.ends_with("*") && v.rfind(x.substr(0, x.size() - 1), 0) == 0);
      });
    };
    if (!matches(sources, source_release) || !matches(targets, target_id)) continue;
    EvolutionEvent ev;
    ev.action = action;
    ev.in = string_list(file, e, "from");
    ev.out = string_list(file, e, "to");
    ev.from_release = source_release;
    ev.to_release = target_id;
    ev.reference = reference + " [" + e["id"].as<std::string>() + "]";
    out.push_back(std::move(ev));
  }
  return out;
}

}  // namespace premigrate::kb::importers
