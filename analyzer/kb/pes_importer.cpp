// leapp Package Evolution Service events (pes-events.json, leapp-repository's
// pes_events_scanner format): action codes 0..7 = present, removed, deprecated, replaced,
// split, merged, moved, renamed.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "kb/importers.hpp"
#include "kb/knowledge_base.hpp"
#include "kb/pack_format.hpp"

namespace premigrate::kb::importers {

std::vector<EvolutionEvent> import_pes_events(const std::filesystem::path& file, int from_major,
                                              int to_major, const std::string& arch,
                                              std::uint64_t& records) {
  // Leapp's action numbers (pes-events.json "action": 0..7), in Leapp's order.
  static constexpr FateKind kActions[] = {
      FateKind::kPresent, FateKind::kRemoved, FateKind::kDeprecated, FateKind::kReplaced,
      FateKind::kSplit,   FateKind::kMerged,  FateKind::kMoved,      FateKind::kRenamed};
  const auto doc = read_json_file(file);
  if (!doc.is_object() || !doc.contains("packageinfo") || !doc["packageinfo"].is_array())
    throw core::RunError(file.string() + ": no 'packageinfo' array (not a pes-events file)");
  std::vector<EvolutionEvent> out;
  std::size_t index = 0;
  for (const auto& ev : doc["packageinfo"]) {
    const std::string where = file.string() + ": packageinfo[" + std::to_string(index++) + "]";
    try {
      ++records;
      const auto action = ev.at("action").get<int>();
      if (action < 0 || action > 7)
        throw core::RunError(where + ": unknown action code " + std::to_string(action));
      const auto& ini = ev.at("initial_release");
      const auto& rel = ev.at("release");
      if (ini.is_null() || rel.is_null()) continue;
      if (ini.at("major_version").get<int>() != from_major ||
          rel.at("major_version").get<int>() != to_major)
        continue;
      const auto archs = ev.at("architectures").get<std::vector<std::string>>();
      if (!archs.empty() && std::find(archs.begin(), archs.end(), arch) == archs.end()) continue;
      EvolutionEvent e;
      e.action = to_string(kActions[action]);
      for (const auto& p : ev.at("in_packageset").at("package")) {
        e.in.push_back(p.at("name").get<std::string>());
        if (e.in_repo.empty()) e.in_repo = p.at("repository").get<std::string>();
      }
      for (const auto& p : ev.at("out_packageset").at("package")) {
        e.out.push_back(p.at("name").get<std::string>());
        if (e.out_repo.empty()) e.out_repo = p.at("repository").get<std::string>();
      }
      auto ver = [](const nlohmann::json& r) {
        return r.at("os_name").get<std::string>() + " " +
               std::to_string(r.at("major_version").get<int>()) + "." +
               std::to_string(r.at("minor_version").get<int>());
      };
      e.from_release = ver(ini);
      e.to_release = ver(rel);
      out.push_back(std::move(e));
    } catch (const nlohmann::json::exception& x) {
      throw core::RunError(where + ": " + x.what());
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.in, x.action, x.out) < std::tie(y.in, y.action, y.out);
  });
  return out;
}

}  // namespace premigrate::kb::importers
