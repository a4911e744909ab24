// Confined reads through core::RootFs: every path is resolved inside the root first.
#include "analyze/root_read.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace premigrate::analyze {

std::optional<std::vector<std::string>> read_lines(const core::RootFs& root,
                                                   const std::string& path,
                                                   core::Diagnostics& diags) {
  const auto res = root.resolve(path);
  if (res.status == core::ResolveStatus::kNotFound || res.status == core::ResolveStatus::kNotDir)
    return std::nullopt;
  if (!res.ok()) {
    diags.warn("analyze.read", path,
               std::string("cannot resolve: ") + std::string(core::to_string(res.status)));
    return std::nullopt;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(res.host_path, ec)) return std::nullopt;
  const auto size = std::filesystem::file_size(res.host_path, ec);
  if (ec || size > kMaxConfigBytes) {
    diags.warn("analyze.read", path,
               ec ? "cannot stat: " + ec.message() : "larger than 4 MiB; not read");
    return std::nullopt;
  }
  std::ifstream in(res.host_path, std::ios::binary);
  if (!in) {
    diags.warn("analyze.read", path, "cannot open for reading");
    return std::nullopt;
  }
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(std::move(l));
  }
  return lines;
}

std::vector<std::string> glob_files(const core::RootFs& root, const std::string& pattern) {
  const auto slash = pattern.rfind('/');
  const std::string dir = slash == 0 ? "/" : pattern.substr(0, slash);
  const std::string name = pattern.substr(slash + 1);
  std::vector<std::string> out;
  const auto res = root.resolve(dir);
  if (!res.ok()) return out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(res.host_path, ec), end; !ec && it != end;
       it.increment(ec)) {
    const auto fn = it->path().filename().string();
    if (::fnmatch(name.c_str(), fn.c_str(), FNM_PERIOD) == 0)
      out.push_back(core::RootFs::normalize(res.root_path + "/" + fn));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string_view openssh_keyword(std::string_view line) {
  const auto b = line.find_first_not_of(" \t");
  if (b == std::string_view::npos || line[b] == '#') return {};
  const auto e = line.find_first_of(" \t=", b);
  return line.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
}

}  // namespace premigrate::analyze
