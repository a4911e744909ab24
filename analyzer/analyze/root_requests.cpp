// The root requests of the analysis (see root_requests.hpp).
#include "analyze/root_requests.hpp"

namespace premigrate::analyze {

std::map<std::string, std::vector<std::string>> program_candidates(const facts::Inventory& inv,
                                                                   const Profile& profile) {
  std::vector<std::string> programs;
  for (const auto& s : inv.scripts)
    if (!s.program.empty()) programs.push_back(s.program);
  for (const auto& u : inv.services)
    for (const auto& p : u.programs) programs.push_back(p);
  for (const auto& j : inv.cron_jobs)
    if (!j.program.empty()) programs.push_back(j.program);
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& prog : programs) {
    auto& v = out[prog];
    if (!v.empty()) continue;
    if (prog.front() == '/') {
      v = profile.path_variants(prog);
    } else {
      for (const auto& d : profile.program_search_path)
        for (const auto& p : profile.path_variants(d + "/" + prog)) v.push_back(p);
    }
  }
  return out;
}

facts::RootRequests root_requests(const facts::Inventory& inv, const Profile& profile,
                                  const RuleSet& rules) {
  facts::RootRequests req;
  for (const auto& [kind, paths] : profile.openssh_files)
    req.text_files.insert(paths.begin(), paths.end());
  for (const auto& dir : profile.modules_load_dirs) req.text_globs.insert(dir + "/*.conf");
  for (const auto& r : rules.rules) {
    const auto& k = r.condition.kind;
    const char* param = k == "config_line_matches" ? "files"
                        : k == "file_exists"       ? "paths"
                                                   : nullptr;
    if (param == nullptr) continue;
    auto it = r.condition.params.find(param);
    if (it == r.condition.params.end()) continue;
    auto& into = k == "config_line_matches" ? req.text_globs : req.exist_globs;
    into.insert(it->second.begin(), it->second.end());
  }
  for (const auto& [prog, paths] : program_candidates(inv, profile))
    req.exist_paths.insert(paths.begin(), paths.end());
  return req;
}

std::string_view openssh_keyword(std::string_view line) {
  const auto b = line.find_first_not_of(" \t");
  if (b == std::string_view::npos || line[b] == '#') return {};
  const auto e = line.find_first_of(" \t=", b);
  return line.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
}

}  // namespace premigrate::analyze
