// systemd.service(5) / systemd.unit(5) parsing and SysV init script scanning.
#include "collect/config/services.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <set>

#include "collect/config/text_parse.hpp"
#include "collect/files/confined_io.hpp"
#include "core/text.hpp"

namespace premigrate::collect::config {

namespace {

constexpr std::string_view kSystemdDirs[] = {"/etc/systemd/system", "/usr/lib/systemd/system",
                                             "/lib/systemd/system"};
constexpr std::string_view kSysvDirs[] = {"/etc/rc.d/init.d", "/etc/init.d"};
constexpr std::string_view kRcParents[] = {"/etc/rc.d", "/etc"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string owner_of(const files::OwnershipIndex& owners, const std::string& path) {
  const std::string* o = owners.owner(path);
  return o != nullptr ? *o : std::string();
}

// Unit names linked from the *.wants/ and *.requires/ directories under etc/systemd/system.
// A template instance link ("getty@tty1.service") also enables its template ("getty@.service").
std::set<std::string> systemd_enabled(const core::RootFs& root) {
  std::set<std::string> out;
  auto top = files::list_dir(root, "/etc/systemd/system");
  if (!top) return out;
  for (const auto& e : *top) {
    if (!S_ISDIR(e.mode) || !(ends_with(e.name, ".wants") || ends_with(e.name, ".requires"))) {
      continue;
    }
    auto links = files::list_dir(root, e.root_path);
    if (!links) continue;
    for (const auto& l : *links) {
      if (!S_ISLNK(l.mode) && !S_ISREG(l.mode)) continue;
      out.insert(l.name);
      const auto at = l.name.find('@');
      const auto dot = l.name.rfind('.');
      if (at != std::string::npos && dot != std::string::npos && dot > at + 1) {
        out.insert(l.name.substr(0, at + 1) + l.name.substr(dot));
      }
    }
  }
  return out;
}

}  // namespace

void parse_unit_file(std::string_view text, facts::ServiceUnit& unit, core::Diagnostics& diags) {
  std::string section;
  std::set<std::string> programs;
  const auto lines = split_lines(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    std::string line(trim(lines[n]));
    const std::size_t first = n;
    // systemd.syntax(7): a trailing backslash continues the line; comment lines inside a
    // continuation are skipped.
    while (!line.empty() && line.back() == '\\' && n + 1 < lines.size()) {
      line.pop_back();
      ++n;
      const std::string_view next = trim(lines[n]);
      if (!next.empty() && (next.front() == '#' || next.front() == ';')) continue;
      line += ' ';
      line += next;
    }
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        diags.warn("config.unit_syntax", unit.path, "unterminated section header",
                   "line " + std::to_string(first + 1));
      }
      section = line.substr(
          1, line.find(']') == std::string::npos ? std::string::npos : line.find(']') - 1);
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      diags.warn("config.unit_syntax", unit.path, "not a Key=value line; ignored",
                 "line " + std::to_string(first + 1));
      continue;
    }
    if (section != "Service") continue;
    const std::string key(trim(std::string_view(line).substr(0, eq)));
    const std::string value(trim(std::string_view(line).substr(eq + 1)));
    if (key == "User") {
      unit.user = core::printable_text(value);
    } else if (key == "ExecStart" || key == "ExecStartPre" || key == "ExecStartPost" ||
               key == "ExecStop" || key == "ExecStopPost" || key == "ExecReload" ||
               key == "ExecCondition") {
      // systemd.service(5): the command may be prefixed by any of "@-:+!" (and "!!").
      std::size_t i = 0;
      while (i < value.size() && std::string_view("@-:+!").find(value[i]) != std::string::npos) {
        ++i;
      }
      auto words = split_words(std::string_view(value).substr(i));
      if (!words.empty())
        programs.insert(core::printable_text(words[0]));  // an empty value only resets the list
    }
  }
  unit.programs.assign(programs.begin(), programs.end());
}

std::vector<std::string> sysv_programs(std::string_view text) {
  std::map<std::string, std::string> vars;
  std::set<std::string> programs;
  auto expand = [&](const std::string& w) {
    std::string name;
    if (w.size() > 3 && w[0] == '$' && w[1] == '{' && w.back() == '}') {
      name = w.substr(2, w.size() - 3);
    } else if (w.size() > 1 && w[0] == '$') {
      name = w.substr(1);
    } else {
      return w;
    }
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
  for (std::string_view raw : split_lines(text)) {
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto words = split_words(line);
    if (words.empty()) continue;
    const auto eq = words[0].find('=');
    if (words.size() == 1 && eq != std::string::npos &&
        is_var_name(std::string_view(words[0]).substr(0, eq))) {
      vars[words[0].substr(0, eq)] = expand(words[0].substr(eq + 1));
      continue;
    }
    // The start helpers of the SysV function libraries take the program as their first
    // non-option argument; options that take a value are skipped with it.
    if (words[0] == "daemon" || words[0] == "start-stop-daemon" || words[0] == "startproc") {
      for (std::size_t i = 1; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w == "--exec" || w == "-x" || w == "--startas" || w == "-a") {
          if (i + 1 < words.size()) {
            const std::string p = expand(words[i + 1]);
            if (!p.empty() && p[0] == '/') programs.insert(p);
          }
          break;
        }
        if (w == "--user" || w == "--pidfile" || w == "--check" || w == "-p" || w == "-u" ||
            w == "-c" || w == "--chuid" || w == "-n" || w == "--name") {
          ++i;
          continue;
        }
        if (w.empty() || w[0] == '-' || w[0] == '+') continue;
        if (words[0] != "daemon") continue;  // others name the program only through --exec
        const std::string p = expand(w);
        if (!p.empty() && p[0] == '/') programs.insert(p);
        break;
      }
    }
  }
  std::vector<std::string> out;
  out.reserve(programs.size());
  for (const auto& p : programs) out.push_back(core::printable_text(p));
  return out;
}

ServicesResult collect_services(const core::RootFs& root, const files::OwnershipIndex& owners,
                                core::Diagnostics& diags) {
  ServicesResult out;
  const std::set<std::string> enabled = systemd_enabled(root);
  std::set<std::string> seen_dirs;
  for (std::string_view dir : kSystemdDirs) {
    auto res = root.resolve(dir);
    if (!res.ok() || !seen_dirs.insert(res.root_path).second) continue;  // lib -> usr/lib
    auto entries = files::list_dir(root, res.root_path);
    if (!entries) continue;
    for (const auto& e : *entries) {
      if (!S_ISREG(e.mode) || !ends_with(e.name, ".service")) continue;
      auto text = files::read_small_file(root, e.root_path, diags, "config.unreadable");
      if (!text) continue;
      facts::ServiceUnit u;
      u.path = core::printable_path(e.root_path);
      u.package = owner_of(owners, e.root_path);
      u.name = core::printable_path(e.name);
      u.kind = "systemd";
      u.enabled = enabled.count(e.name) != 0;
      parse_unit_file(*text, u, diags);
      out.units.push_back(std::move(u));
    }
  }

  // SysV: a script is enabled when some rc2-5.d directory has an S<NN><name> link to it.
  std::set<std::string> sysv_enabled;
  for (std::string_view parent : kRcParents) {
    for (int level = 2; level <= 5; ++level) {
      auto links =
          files::list_dir(root, std::string(parent) + "/rc" + std::to_string(level) + ".d");
      if (!links) continue;
      for (const auto& l : *links) {
        if (l.name.size() > 3 && l.name[0] == 'S' &&
            std::isdigit(static_cast<unsigned char>(l.name[1])) &&
            std::isdigit(static_cast<unsigned char>(l.name[2]))) {
          sysv_enabled.insert(l.name.substr(3));
        }
      }
    }
  }
  seen_dirs.clear();
  for (std::string_view dir : kSysvDirs) {
    auto res = root.resolve(dir);
    if (!res.ok() || !seen_dirs.insert(res.root_path).second) continue;  // init.d -> rc.d/init.d
    auto entries = files::list_dir(root, res.root_path);
    if (!entries) continue;
    for (const auto& e : *entries) {
      // Only executable files are init scripts; the function libraries beside them are not.
      if (!S_ISREG(e.mode) || (e.mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0) continue;
      auto text = files::read_small_file(root, e.root_path, diags, "config.unreadable");
      if (!text) continue;
      facts::ServiceUnit u;
      u.path = core::printable_path(e.root_path);
      u.package = owner_of(owners, e.root_path);
      u.name = core::printable_path(e.name);
      u.kind = "sysv";
      u.enabled = sysv_enabled.count(e.name) != 0;
      u.programs = sysv_programs(*text);
      out.units.push_back(std::move(u));
    }
  }
  std::set<std::string> all(enabled.begin(), enabled.end());
  all.insert(sysv_enabled.begin(), sysv_enabled.end());
  for (const auto& n : all) out.enabled.push_back(core::printable_path(n));
  return out;
}

}  // namespace premigrate::collect::config
