// Reads the mirror layout from targets.json: the catalog-wide default, then the target's own
// "mirror" entry over it (release_dir, repos, default_repos).
#include "kb/sync/mirror_layout.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "kb/pack_format.hpp"

namespace premigrate::kb::sync {

using nlohmann::json;

namespace {

void read_repos(const json& section, MirrorLayout& out) {
  if (section.contains("repos")) {
    out.repos.clear();
    for (const auto& r : section.at("repos"))
      out.repos.push_back({r.at("name").get<std::string>(), r.at("path").get<std::string>(),
                           r.at("class").get<std::string>(), r.value("complete", false)});
  }
  if (section.contains("export_packages"))
    out.export_packages = section.at("export_packages").get<std::vector<std::string>>();
  if (section.contains("kernel_package"))
    out.kernel_package = section.at("kernel_package").get<std::string>();
  if (section.contains("default_repos"))
    out.default_repos = section.at("default_repos").get<std::vector<std::string>>();
}

std::string substitute(std::string s, const std::string& key, const std::string& value) {
  for (auto p = s.find(key); p != std::string::npos; p = s.find(key, p + value.size()))
    s.replace(p, key.size(), value);
  return s;
}

}  // namespace

MirrorLayout load_mirror_layout(const std::filesystem::path& kb_dir, const TargetRelease& target) {
  const auto file = kb_dir / "targets.json";
  const auto doc = read_json_file(file);
  MirrorLayout out;
  // openEuler's folder names are the release name with dashes: "openEuler-22.03-LTS-SP4".
  out.release_dir = target.name;
  std::replace(out.release_dir.begin(), out.release_dir.end(), ' ', '-');
  try {
    if (doc.contains("mirror")) read_repos(doc.at("mirror"), out);
    for (const auto& t : doc.at("targets")) {
      if (t.at("id").get<std::string>() != target.id || !t.contains("mirror")) continue;
      const auto& m = t.at("mirror");
      if (m.contains("release_dir")) out.release_dir = m.at("release_dir").get<std::string>();
      read_repos(m, out);
    }
  } catch (const json::exception& e) {
    throw core::RunError(file.string() + ": malformed mirror layout: " + e.what());
  }
  if (out.repos.empty())
    throw core::RunError(file.string() + ": no mirror repositories for target '" + target.id + "'");
  if (out.default_repos.empty())
    for (const auto& r : out.repos) out.default_repos.push_back(r.name);
  return out;
}

std::string repo_url(const std::string& mirror, const MirrorLayout& layout, const MirrorRepo& repo,
                     const std::string& arch) {
  std::string base = mirror;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string url = base + "/";
  if (!layout.release_dir.empty()) url += layout.release_dir + "/";
  url += substitute(repo.path, "{arch}", arch);
  if (url.back() != '/') url += '/';
  return url;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto comma = s.find(',', start);
    auto item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<MirrorRepo> select_repos(const MirrorLayout& layout, const std::string& wanted) {
  const auto names = wanted.empty() ? layout.default_repos : split_commas(wanted);
  std::vector<MirrorRepo> out;
  for (const auto& n : names) {
    auto it = std::find_if(layout.repos.begin(), layout.repos.end(),
                           [&](const MirrorRepo& r) { return r.name == n; });
    if (it == layout.repos.end()) {
      std::string known;
      for (const auto& r : layout.repos) known += (known.empty() ? "" : ", ") + r.name;
      throw core::UsageError("kb sync: unknown repository '" + n + "' (known: " + known + ")");
    }
    if (std::none_of(out.begin(), out.end(), [&](const MirrorRepo& r) { return r.name == n; }))
      out.push_back(*it);
  }
  if (out.empty()) throw core::UsageError("kb sync: --repos names no repository");
  return out;
}

}  // namespace premigrate::kb::sync
