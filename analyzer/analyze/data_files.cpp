// Reads the analysis's data files (data_files.hpp) and hands their text to the parsers.
#include "analyze/data_files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "core/errors.hpp"

namespace premigrate::analyze {

namespace {

std::string read_whole(const std::filesystem::path& file, const std::string& what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw core::RunError("cannot read " + what + " " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  if (!in && !in.eof()) throw core::RunError("cannot read " + what + " " + file.string());
  return s.str();
}

}  // namespace

RuleSet load_rules(const std::vector<std::filesystem::path>& dirs) {
  std::vector<Rule> rules;
  for (const auto& dir : dirs) {
    if (!std::filesystem::is_directory(dir))
      throw core::RunError("rules directory " + dir.string() + " does not exist");
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      const auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) rules.push_back(parse_rule(read_whole(f, "rule file"), f.string()));
  }
  return make_rule_set(std::move(rules));
}

Profile load_profile(const std::filesystem::path& file) {
  return parse_profile(read_whole(file, "analysis profile"), file.string());
}

std::vector<Waiver> load_waivers(const std::filesystem::path& file) {
  return parse_waivers(read_whole(file, "waiver file"), file.string());
}

}  // namespace premigrate::analyze
