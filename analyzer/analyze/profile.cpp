// Loading the analysis profile (yaml-cpp).
#include "analyze/profile.hpp"

#include <yaml-cpp/yaml.h>

#include "core/errors.hpp"

namespace premigrate::analyze {

const SourceProfile* Profile::source(const std::string& id) const {
  auto it = sources.find(id);
  return it == sources.end() ? nullptr : &it->second;
}

std::vector<std::string> Profile::path_variants(const std::string& path) const {
  std::vector<std::string> out{path};
  for (const auto& [from, to] : path_aliases) {
    if (path.compare(0, from.size(), from) == 0) out.push_back(to + path.substr(from.size()));
  }
  return out;
}

namespace {
std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n && n.IsSequence()) {
    for (const auto& e : n) out.push_back(e.as<std::string>());
  }
  return out;
}
}  // namespace

Profile parse_profile(const std::string& text, const std::string& file) {
  Profile p;
  try {
    const auto doc = YAML::Load(text);
    if (!doc.IsMap() || !doc["schema_version"] || doc["schema_version"].as<int>() != 1)
      throw core::RunError(file + ": schema_version must be 1");
    for (const auto& kv : doc["sources"]) {
      SourceProfile sp;
      sp.vendors = strings(kv.second["vendors"]);
      sp.signing_keys = strings(kv.second["signing_keys"]);
      sp.references = strings(kv.second["references"]);
      p.sources[kv.first.as<std::string>()] = sp;
    }
    for (const auto& a : doc["path_aliases"]) {
      p.path_aliases.emplace_back(a["from"].as<std::string>(), a["to"].as<std::string>());
    }
    p.boot_critical_depends = strings(doc["boot_critical_depends"]);
    p.modules_load_dirs = strings(doc["modules_load_dirs"]);
    p.program_search_path = strings(doc["program_search_path"]);
    p.library_dirs = strings(doc["library_dirs"]);
    for (const auto& kv : doc["openssh_files"])
      p.openssh_files[kv.first.as<std::string>()] = strings(kv.second);
    p.references = strings(doc["references"]);
  } catch (const YAML::Exception& e) {
    throw core::RunError(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return p;
}

}  // namespace premigrate::analyze
