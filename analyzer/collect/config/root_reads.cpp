// Root reads by name (see root_reads.hpp).
#include "collect/config/root_reads.hpp"

#include <set>

#include "collect/config/text_parse.hpp"
#include "collect/files/confined_io.hpp"
#include "core/text.hpp"

namespace premigrate::collect::config {

namespace {

facts::TextFile read_lines(const core::RootFs& root, const std::string& path,
                           core::Diagnostics& diags) {
  facts::TextFile f;
  f.path = path;
  auto r = files::read_text(root, path, kMaxTextBytes);
  f.status = r.status;
  f.reason = r.reason;
  if (r.status == files::ReadStatus::kOk) {
    for (auto l : split_lines(r.text)) {
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      f.lines.emplace_back(l);
    }
  } else if (r.status != files::ReadStatus::kMissing) {
    diags.warn("config.unreadable", files::read_subject(path, r.root_path), r.reason);
  }
  return f;
}

std::string dir_of(const std::string& path) {
  const auto s = path.rfind('/');
  return s == std::string::npos || s == 0 ? "/" : path.substr(0, s);
}

}  // namespace

facts::RootReads answer_root_requests(const core::RootFs& root, const facts::RootRequests& req,
                                      core::Diagnostics& diags) {
  facts::RootReads out;
  std::set<std::string> to_read(req.text_files.begin(), req.text_files.end());
  for (const auto& g : req.text_globs) {
    facts::GlobMatch m{g, files::glob_paths(root, g)};
    to_read.insert(m.matches.begin(), m.matches.end());
    out.globs.push_back(std::move(m));
  }
  for (const auto& g : req.exist_globs) {
    if (req.text_globs.count(g)) continue;
    out.globs.push_back({g, files::glob_paths(root, g)});
  }
  for (const auto& p : to_read) out.files.push_back(read_lines(root, p, diags));
  for (const auto& p : req.exist_paths) out.paths.push_back({p, root.resolve(p).ok()});
  out.canonicalize();
  return out;
}

std::vector<std::string> collect_ld_so_conf(const core::RootFs& root, core::Diagnostics& diags) {
  std::vector<std::string> dirs;
  std::vector<std::string> todo{"/etc/ld.so.conf"};
  for (std::size_t i = 0; i < todo.size() && i < 64; ++i) {
    const auto f = read_lines(root, todo[i], diags);
    for (const auto& raw : f.lines) {
      std::string_view l = trim(std::string_view(raw).substr(0, raw.find('#')));
      if (l.empty()) continue;
      if (l.rfind("include", 0) == 0 && l.size() > 7 && (l[7] == ' ' || l[7] == '\t')) {
        std::string pat(trim(l.substr(7)));
        if (pat.empty()) continue;
        if (pat.front() != '/') pat = dir_of(todo[i]) + "/" + pat;
        for (auto& m : files::glob_paths(root, core::RootFs::normalize(pat)))
          todo.push_back(std::move(m));
      } else if (l.front() == '/') {
        dirs.push_back(core::printable_path(core::RootFs::normalize(l)));
      }
    }
  }
  return dirs;
}

}  // namespace premigrate::collect::config
