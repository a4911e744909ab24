// Configuration: modified %config files to carry over, OpenSSH keywords the target's version no
// longer accepts (KB keyword table), and the probe conditions of rule files: lines matching a
// regex in files, files that exist, kernel command-line parameters, repository URLs, packages.
#include <algorithm>
#include <cctype>
#include <regex>

#include "analyze/context.hpp"
#include "analyze/root_requests.hpp"
#include "core/errors.hpp"

namespace premigrate::analyze {

namespace {

std::string first(const Rule& r, const char* key) {
  auto it = r.condition.params.find(key);
  return it == r.condition.params.end() || it->second.empty() ? std::string() : it->second.front();
}

// libstdc++'s regex matcher recurses once or more per character of the subject, so a pattern
// such as ".*centos" on a multi-megabyte line from a hostile root overflowed the stack (a
// 30,000-byte yum.conf line was enough). Rule patterns describe keywords, URLs and boot
// parameters: text longer than this is not matched, and a diagnostic says so.
constexpr std::size_t kMaxMatched = 4096;

// std::regex_search on host text of bounded length; false (with a diagnostic) past the bound.
bool search_bounded(const std::string& text, const std::regex& re, const Rule& r,
                    const ArchContext& c, const std::string& where) {
  if (text.size() > kMaxMatched) {
    c.diags.warn("analyze.long_text", where,
                 std::to_string(text.size()) + " bytes, longer than " +
                     std::to_string(kMaxMatched) + "; not matched against rule " + r.id);
    return false;
  }
  return std::regex_search(text, re);
}

std::regex compile(const Rule& r, const std::string& pattern) {
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw core::RunError(r.file + ": rule " + r.id + ": bad pattern '" + pattern +
                         "': " + e.what());
  }
}

// The matches of a glob the collect stage listed; null (with the rule listed as not run) when
// the inventory holds no answer for it (an inventory made without this rule set).
const facts::GlobMatch* collected_glob(const Rule& r, const ArchContext& c,
                                       const std::string& glob) {
  const auto* g = c.inv.root_reads.glob(glob);
  if (g == nullptr)
    c.skip(r.id, "the inventory holds no listing of " + glob + " (collected without this rule)",
           false);
  return g;
}

void probe_config_lines(const Rule& r, const ArchContext& c) {
  const auto re = compile(r, first(r, "pattern"));
  for (const auto& glob : r.condition.params.at("files")) {
    const auto* g = collected_glob(r, c, glob);
    if (g == nullptr) continue;
    for (const auto& f : g->matches) {
      const auto* tf = c.inv.root_reads.file(f);
      if (tf == nullptr || tf->status == facts::ReadStatus::kMissing) continue;
      if (tf->status != facts::ReadStatus::kOk) {
        c.skip(r.id, f + ": " + tf->reason, false);
        continue;
      }
      const auto& lines = tf->lines;
      Hit h{"config_line_matches", f, {{"file", f}}, {}, r.id};
      for (std::size_t i = 0; i < lines.size(); ++i) {
        if (search_bounded(lines[i], re, r, c, f + ":" + std::to_string(i + 1)))
          h.evidence.push_back({f + ":" + std::to_string(i + 1), lines[i]});
      }
      if (!h.evidence.empty()) c.hits.push_back(std::move(h));
    }
  }
}

void probe_files(const Rule& r, const ArchContext& c) {
  std::string subject;
  for (const auto& p : r.condition.params.at("paths")) subject += (subject.empty() ? "" : " ") + p;
  Hit h{"file_exists", subject, {{"paths", subject}}, {}, r.id};
  for (const auto& glob : r.condition.params.at("paths"))
    if (const auto* g = collected_glob(r, c, glob))
      for (const auto& f : g->matches) h.evidence.push_back({f, "exists"});
  h.attrs["count"] = std::to_string(h.evidence.size());
  if (!h.evidence.empty()) c.hits.push_back(std::move(h));
}

void probe_cmdline(const Rule& r, const ArchContext& c) {
  const auto re = compile(r, first(r, "pattern"));
  const auto& cmd = c.inv.host.kernel_cmdline;
  std::size_t i = 0;
  while (i < cmd.size()) {
    while (i < cmd.size() && std::isspace(static_cast<unsigned char>(cmd[i]))) ++i;
    std::size_t j = i;
    while (j < cmd.size() && !std::isspace(static_cast<unsigned char>(cmd[j]))) ++j;
    const auto tok = cmd.substr(i, j - i);
    if (!tok.empty() && search_bounded(tok, re, r, c, "kernel command line"))
      c.hits.push_back(
          {"kernel_cmdline_has", tok, {{"parameter", tok}}, {{"kernel command line", cmd}}, r.id});
    i = j;
  }
}

void probe_repos(const Rule& r, const ArchContext& c) {
  const auto re = compile(r, first(r, "pattern"));
  for (const auto& repo : c.inv.host.repos) {
    std::vector<std::string> urls = repo.baseurl;
    for (const auto* u : {&repo.mirrorlist, &repo.metalink})
      if (!u->empty()) urls.push_back(*u);
    for (const auto& u : urls) {
      if (search_bounded(u, re, r, c, repo.file + " [" + repo.id + "]"))
        c.hits.push_back({"repo_baseurl_matches",
                          repo.file,
                          {{"file", repo.file}},
                          {{repo.file + " [" + repo.id + "]", u}},
                          r.id});
    }
  }
}

void probe_packages(const Rule& r, const ArchContext& c) {
  const auto& names = r.condition.params.at("names");
  for (const auto& p : c.inv.packages) {
    if (std::find(names.begin(), names.end(), p.name) == names.end()) continue;
    c.hits.push_back({"package_installed",
                      p.name,
                      {{"name", p.name}, {"nevra", p.nevra()}},
                      {{p.nevra(), "installed"}},
                      r.id});
  }
}

void check_openssh(const ArchContext& c) {
  bool any_file = false;
  for (const auto& [kind, paths] : c.profile.openssh_files) {
    for (const auto& path : paths) {
      const auto* tf = c.inv.root_reads.file(path);
      if (tf == nullptr) {
        c.skip(Check::kOpensshKeywords, path + ": not read by the collect stage", false);
        continue;
      }
      if (tf->status == facts::ReadStatus::kMissing) continue;
      if (tf->status !=
          facts::ReadStatus::kOk) {  // a FIFO, a device, over 4 MiB, unreadable: not checked
        c.skip(Check::kOpensshKeywords, path + ": " + tf->reason);
        continue;
      }
      any_file = true;
      if (!c.kb || c.coverage("openssh").status == kb::CoverageStatus::kUnknown) continue;
      const auto& lines = tf->lines;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& l = lines[i];
        const std::string kw(openssh_keyword(l));
        if (kw.empty()) continue;
        const auto st = c.kb->openssh_keyword(kind, kw);
        if (st.status == "supported") continue;
        c.hits.push_back({"openssh_keyword_status_in",
                          path + ": " + kw,
                          {{"file", kind},
                           {"status", st.status},
                           {"keyword", kw},
                           {"openssh_version", st.openssh_version},
                           {"path", path}},
                          {{path + ":" + std::to_string(i + 1), l}},
                          {}});
      }
    }
  }
  if (any_file && c.kb && c.coverage("openssh").status == kb::CoverageStatus::kUnknown) {
    c.skip(Check::kOpensshKeywords,
           "the KB has no OpenSSH keyword table for this target: " + c.coverage("openssh").reason);
  }
}

}  // namespace

void check_config(const ArchContext& c) {
  for (const auto& f : c.inv.config_files) {
    if (f.state != "modified") continue;
    c.hits.push_back({"config_modified",
                      f.package,
                      {{"package", f.package}},
                      {{f.path, f.noreplace ? "modified (noreplace)" : "modified"}},
                      {}});
  }
  check_openssh(c);
}

void evaluate_probes(const ArchContext& c) {
  for (const auto& r : c.rules.rules) {
    if (!applies(r, c.arch, c.source, c.target)) continue;
    const auto& k = r.condition.kind;
    if (k == "config_line_matches") {
      probe_config_lines(r, c);
    } else if (k == "file_exists") {
      probe_files(r, c);
    } else if (k == "kernel_cmdline_has") {
      probe_cmdline(r, c);
    } else if (k == "repo_baseurl_matches") {
      probe_repos(r, c);
    } else if (k == "package_installed") {
      probe_packages(r, c);
    }
  }
}

}  // namespace premigrate::analyze
