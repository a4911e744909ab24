// Fuzz target: the text parsers of collect/config, each given the same bytes: shebang lines,
// systemd unit files, SysV init scripts, crontabs (system and spool), yum/dnf .repo files,
// os-release style KEY=value files, the release lines of /etc/*-release, and the keyword of
// sshd_config / ssh_config lines.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyze/root_requests.hpp"
#include "collect/config/cron.hpp"
#include "collect/config/host.hpp"
#include "collect/config/repos.hpp"
#include "collect/config/scripts.hpp"
#include "collect/config/services.hpp"
#include "collect/config/text_parse.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace config = premigrate::collect::config;
  const auto text = premigrate::fuzz::as_text(data, size);
  premigrate::core::Diagnostics diags;
  if (text.substr(0, 2) == "#!") (void)config::parse_shebang(text);
  premigrate::facts::ServiceUnit unit;
  unit.name = "fuzz.service";
  config::parse_unit_file(text, unit, diags);
  (void)config::sysv_programs(text);
  (void)config::parse_crontab(text, "/etc/crontab", true, "", diags);
  (void)config::parse_crontab(text, "/var/spool/cron/user", false, "user", diags);
  (void)config::parse_repo_file(text, "/etc/yum.repos.d/fuzz.repo", diags);
  const auto osr = config::parse_shell_assignments(text, "/etc/os-release", diags, "host.syntax");
  (void)config::release_from_os_release(osr, "/etc/os-release");
  for (const auto line : config::split_lines(text)) {
    (void)config::release_from_release_line(std::string(line), "/etc/redhat-release");
    (void)config::command_program(line);
    const auto kw = premigrate::analyze::openssh_keyword(line);
    if (kw.size() > line.size()) __builtin_trap();
  }
  return 0;
}
