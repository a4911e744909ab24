// Derives one architecture's binary package list from another's: the same names and versions,
// less the names that exist only on the base architecture and plus those only on the target,
// as a mapping of both architectures shows (easypackages). The result is marked derived.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "kb/importers.hpp"

namespace premigrate::kb::importers {

namespace {

// The openEuler names of a mapping file: "<source name> : <openEuler names, space-separated>".
std::set<std::string> mapped_names(const std::filesystem::path& file, std::uint64_t& records) {
  std::ifstream in(file);
  if (!in) throw core::RunError(file.string() + ": cannot be read");
  std::set<std::string> out;
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos)
      throw core::RunError(file.string() + ":" + std::to_string(n) + ": expected 'name : names'");
    ++records;
    std::istringstream names(line.substr(colon + 1));
    for (std::string name; names >> name;) out.insert(name);
  }
  return out;
}

bool debug_name(const std::string& n) {
  for (const std::string_view suffix : {"-debuginfo", "-debugsource"})
    if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
      return true;
  return false;
}

}  // namespace

ArchDiff import_arch_mapping_diff(const std::filesystem::path& base_mapping,
                                  const std::filesystem::path& target_mapping,
                                  std::uint64_t& records) {
  const auto base = mapped_names(base_mapping, records);
  const auto target = mapped_names(target_mapping, records);
  ArchDiff d;
  std::set_difference(base.begin(), base.end(), target.begin(), target.end(),
                      std::inserter(d.only_base, d.only_base.end()));
  std::set_difference(target.begin(), target.end(), base.begin(), base.end(),
                      std::inserter(d.only_target, d.only_target.end()));
  return d;
}

std::vector<BinaryPackage> derive_arch_packages(const std::vector<BinaryPackage>& base,
                                                const std::string& base_arch,
                                                const std::string& target_arch,
                                                const ArchDiff& diff) {
  std::vector<BinaryPackage> out;
  std::set<std::string> names;
  for (auto p : base) {
    if (diff.only_base.count(p.name)) continue;
    if (p.arch == base_arch)
      p.arch = target_arch;
    else if (p.arch != "noarch")
      continue;  // multilib (i686) rows have no aarch64 counterpart
    names.insert(p.name);
    out.push_back(std::move(p));
  }
  // Names only the target architecture has: no version or repository is known for them.
  for (const auto& n : diff.only_target)
    if (!debug_name(n) && !names.count(n)) out.push_back({n, target_arch, "", "", "", 0});
  return out;
}

}  // namespace premigrate::kb::importers
