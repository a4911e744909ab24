// KB versions, provenance and coverage of the packs used, for the report context.
#include "scan/kb_context.hpp"

#include <filesystem>

namespace premigrate::scan {

nlohmann::json kb_context(const std::vector<std::pair<std::string, kb::KnowledgeBase>>& packs) {
  if (packs.empty()) return nullptr;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [arch, k] : packs) {
    nlohmann::json cov = nlohmann::json::object();
    for (const char* kind : kb::kFactKinds) {
      const auto c = k.coverage(kind);
      cov[kind] = {
          {"status", kb::to_string(c.status)}, {"reason", c.reason}, {"datasets", c.datasets}};
    }
    nlohmann::json ds = nlohmann::json::array();
    for (const auto& d : k.datasets()) {
      ds.push_back({{"id", d.id},
                    {"name", d.name},
                    {"origin", d.origin},
                    {"commit", d.commit},
                    {"date", d.date},
                    {"licence", d.licence},
                    {"derived_from", d.derived_from}});
    }
    list.push_back({{"arch", arch},
                    {"file", std::filesystem::path(k.file()).filename().string()},
                    {"kb_version", k.kb_version()},
                    {"build_date", k.build_date()},
                    {"source_release", k.source_release()},
                    {"target", k.target().id},
                    {"kernel", k.kernel().version},
                    {"coverage", cov},
                    {"datasets", ds}});
  }
  return {{"kb_version", packs.front().second.kb_version()}, {"packs", list}};
}

}  // namespace premigrate::scan
