// crontab(5) parsing: five time fields or an @keyword, [user], command.
#include "collect/config/cron.hpp"

#include <sys/stat.h>

#include <cctype>

#include "collect/config/text_parse.hpp"
#include "collect/files/confined_io.hpp"
#include "core/text.hpp"

namespace premigrate::collect::config {

namespace {

// Splits off the next whitespace-delimited field of `s` (advancing it).
std::string_view next_field(std::string_view& s) {
  s = trim(s);
  std::size_t i = 0;
  while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  std::string_view f = s.substr(0, i);
  s = s.substr(i);
  return f;
}

bool is_time_field(std::string_view f) {
  if (f.empty()) return false;
  for (char c : f) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '*' || c == ',' || c == '-' ||
          c == '/')) {
      return false;
    }
  }
  return true;
}

bool is_env_line(std::string_view line) {
  const auto eq = line.find('=');
  if (eq == std::string_view::npos) return false;
  const std::string_view name = trim(line.substr(0, eq));
  return is_var_name(name);
}

}  // namespace

std::vector<facts::CronJob> parse_crontab(std::string_view text, const std::string& path,
                                          bool system_table, const std::string& table_user,
                                          core::Diagnostics& diags) {
  std::vector<facts::CronJob> jobs;
  const auto lines = split_lines(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    std::string_view line = trim(lines[n]);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "line " + std::to_string(n + 1);
    if (line.front() != '@' && is_env_line(line)) {
      continue;  // NAME=value environment setting
    }
    facts::CronJob job;
    job.path = path;
    std::string_view rest = line;
    if (line.front() == '@') {
      job.schedule = std::string(next_field(rest));
    } else {
      std::string schedule;
      bool ok = true;
      for (int i = 0; i < 5; ++i) {
        const std::string_view f = next_field(rest);
        if (!is_time_field(f)) {
          ok = false;
          break;
        }
        if (i > 0) schedule += ' ';
        schedule += f;
      }
      if (!ok) {
        diags.warn("cron.syntax", path, "not a schedule line; ignored", where);
        continue;
      }
      job.schedule = std::move(schedule);
    }
    if (system_table) {
      job.user = std::string(next_field(rest));
    } else {
      job.user = table_user;
    }
    job.command = std::string(trim(rest));
    if (job.user.empty() || job.command.empty()) {
      diags.warn("cron.syntax", path,
                 system_table ? "missing user or command; ignored" : "missing command; ignored",
                 where);
      continue;
    }
    job.program = core::printable_text(command_program(job.command));
    job.schedule = core::printable_text(job.schedule);
    job.user = core::printable_text(job.user);
    job.command = core::printable_text(job.command);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

std::vector<facts::CronJob> collect_cron(const core::RootFs& root,
                                         const files::OwnershipIndex& owners,
                                         core::Diagnostics& diags) {
  std::vector<facts::CronJob> out;
  auto add_table = [&](const std::string& root_path, bool system_table, const std::string& user) {
    auto text = files::read_small_file(root, root_path, diags, "config.unreadable");
    if (!text) return;
    const std::string* owner = owners.owner(root_path);
    for (auto& j : parse_crontab(*text, core::printable_path(root_path), system_table,
                                 core::printable_path(user), diags)) {
      j.package = owner != nullptr ? *owner : "";
      out.push_back(std::move(j));
    }
  };
  add_table("/etc/crontab", true, "");
  if (auto entries = files::list_dir(root, "/etc/cron.d")) {
    for (const auto& e : *entries) {
      // cron ignores hidden files and editor/package-manager leftovers.
      if (!e.name.empty() && e.name[0] == '.') continue;
      if (e.name.find('~') != std::string::npos) continue;
      if (S_ISREG(e.mode) || S_ISLNK(e.mode)) add_table(e.root_path, true, "");
    }
  }
  if (auto entries = files::list_dir(root, "/var/spool/cron")) {
    for (const auto& e : *entries) {
      if (S_ISREG(e.mode)) add_table(e.root_path, false, e.name);
    }
  }
  for (const char* period : {"hourly", "daily", "weekly", "monthly"}) {
    auto entries = files::list_dir(root, std::string("/etc/cron.") + period);
    if (!entries) continue;
    for (const auto& e : *entries) {
      if (!S_ISREG(e.mode) || (e.mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0) continue;
      if (!e.name.empty() && e.name[0] == '.') continue;
      facts::CronJob j;
      j.path = core::printable_path(e.root_path);
      const std::string* owner = owners.owner(e.root_path);
      j.package = owner != nullptr ? *owner : "";
      j.schedule = std::string("@") + period;
      j.user = "root";  // run-parts runs these from root's system table
      j.command = j.path;
      j.program = j.path;
      out.push_back(std::move(j));
    }
  }
  return out;
}

}  // namespace premigrate::collect::config
