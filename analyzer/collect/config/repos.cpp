// ini parsing for .repo files: [id] sections, key=value, indented continuation lines.
#include "collect/config/repos.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "collect/config/text_parse.hpp"
#include "collect/files/confined_io.hpp"
#include "core/text.hpp"

namespace premigrate::collect::config {

namespace {

// dnf.conf(5) booleans: 1/0, yes/no, true/false, on/off.
bool parse_bool(std::string_view v, bool fallback, bool& ok) {
  const std::string l = core::ascii_lower(trim(v));
  ok = true;
  if (l == "1" || l == "yes" || l == "true" || l == "on") return true;
  if (l == "0" || l == "no" || l == "false" || l == "off") return false;
  ok = false;
  return fallback;
}

void apply(facts::RepoDef& repo, const std::string& key, const std::string& value,
           const std::string& path, const std::string& where, core::Diagnostics& diags) {
  bool ok = true;
  if (key == "name") {
    repo.name = value;
  } else if (key == "baseurl") {
    repo.baseurl.clear();
    std::string cur;
    for (char c : value + " ") {
      if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
        if (!cur.empty()) repo.baseurl.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
  } else if (key == "mirrorlist") {
    repo.mirrorlist = value;
  } else if (key == "metalink") {
    repo.metalink = value;
  } else if (key == "enabled") {
    repo.enabled = parse_bool(value, repo.enabled, ok);
  } else if (key == "gpgcheck") {
    repo.gpgcheck = parse_bool(value, repo.gpgcheck, ok);
  }
  if (!ok) diags.warn("repo.syntax", path, "not a boolean: " + key + "=" + value, where);
}

}  // namespace

std::vector<facts::RepoDef> parse_repo_file(std::string_view text, const std::string& path,
                                            core::Diagnostics& diags) {
  std::vector<facts::RepoDef> repos;
  facts::RepoDef* cur = nullptr;
  std::string key;  // the key the next continuation line extends
  std::string value;
  std::string key_where;
  auto flush = [&] {
    if (cur != nullptr && !key.empty()) {
      apply(*cur, key, core::printable_text(value), path, key_where, diags);
    }
    key.clear();
    value.clear();
  };
  const auto lines = split_lines(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string_view raw = lines[n];
    const std::string_view line = trim(raw);
    const std::string where = "line " + std::to_string(n + 1);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    const bool indented = std::isspace(static_cast<unsigned char>(raw.front()));
    if (indented && !key.empty()) {
      value += ' ';
      value += line;
      continue;
    }
    flush();
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) {
        diags.warn("repo.syntax", path, "malformed section header; section ignored", where);
        cur = nullptr;
        continue;
      }
      repos.emplace_back();
      cur = &repos.back();
      cur->file = path;
      cur->id = core::printable_text(trim(line.substr(1, line.size() - 2)));
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      diags.warn("repo.syntax", path, "not a key=value line; ignored", where);
      continue;
    }
    if (cur == nullptr) {
      diags.warn("repo.syntax", path, "option outside any [repository] section; ignored", where);
      continue;
    }
    key = core::ascii_lower(trim(line.substr(0, eq)));
    value = std::string(trim(line.substr(eq + 1)));
    key_where = where;
  }
  flush();
  return repos;
}

std::vector<facts::RepoDef> collect_repos(const core::RootFs& root, core::Diagnostics& diags) {
  std::vector<facts::RepoDef> out;
  auto entries = files::list_dir(root, "/etc/yum.repos.d");
  if (!entries) return out;
  for (const auto& e : *entries) {
    if (e.name.size() < 5 || e.name.substr(e.name.size() - 5) != ".repo") continue;
    // Any other type (a FIFO, a device, a directory named *.repo) gets its diagnostic from the
    // confined reader, which never opens it.
    auto text = files::read_small_file(root, e.root_path, diags, "config.unreadable");
    if (!text) continue;
    for (auto& r : parse_repo_file(*text, core::printable_path(e.root_path), diags)) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace premigrate::collect::config
