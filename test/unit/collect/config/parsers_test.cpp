// Line parsers: shell assignments, shebangs, crontab lines, unit files, .repo files.
#include <catch2/catch.hpp>

#include "collect/config/cron.hpp"
#include "collect/config/repos.hpp"
#include "collect/config/scripts.hpp"
#include "collect/config/services.hpp"
#include "collect/config/text_parse.hpp"

namespace cfg = premigrate::collect::config;
using premigrate::core::Diagnostics;

namespace {
bool has_diag(const Diagnostics& d, const std::string& code, const std::string& path,
              const std::string& where) {
  for (const auto& x : d.sorted()) {
    if (x.code == code && x.path == path && x.where == where) return true;
  }
  return false;
}
}  // namespace

TEST_CASE("os-release quoting follows shell rules; odd lines are diagnostics") {
  Diagnostics diags;
  const std::string text =
      "NAME=\"CentOS Linux\"\n"
      "ID='centos'\n"
      "# comment\n"
      "\n"
      "VERSION_ID=\"7\"\n"
      "PRETTY_NAME=\"Say \\\"hi\\\" \\$HOME\"\n"
      "BARE=a\\ b\n"
      "this line is odd\n"
      "OPEN=\"never closed\n"
      "export HOME_URL=https://example.org/\n";
  auto vars = cfg::parse_shell_assignments(text, "/etc/os-release", diags, "config.syntax");
  CHECK(vars["NAME"] == "CentOS Linux");
  CHECK(vars["ID"] == "centos");
  CHECK(vars["VERSION_ID"] == "7");
  CHECK(vars["PRETTY_NAME"] == "Say \"hi\" $HOME");
  CHECK(vars["BARE"] == "a b");
  CHECK(vars["OPEN"] == "never closed");
  CHECK(vars["HOME_URL"] == "https://example.org/");
  CHECK(vars.count("this") == 0);
  CHECK(has_diag(diags, "config.syntax", "/etc/os-release", "line 8"));
  CHECK(has_diag(diags, "config.syntax", "/etc/os-release", "line 9"));
  CHECK(diags.size() == 2);
}

TEST_CASE("shebangs name the interpreter and the program env would run") {
  auto s = cfg::parse_shebang("#!/usr/bin/env python\nprint(1)\n");
  REQUIRE(s);
  CHECK(s->interpreter == "/usr/bin/env");
  CHECK(s->program == "python");
  CHECK(s->args.empty());

  s = cfg::parse_shebang("#! /bin/bash -e\n");
  REQUIRE(s);
  CHECK(s->interpreter == "/bin/bash");
  CHECK(s->program == "/bin/bash");
  CHECK(s->args == std::vector<std::string>{"-e"});

  s = cfg::parse_shebang("#!/usr/bin/env -S perl -w -I'/opt/lib dir'\n");
  REQUIRE(s);
  CHECK(s->program == "perl");
  CHECK(s->args == std::vector<std::string>{"-w", "-I/opt/lib dir"});

  s = cfg::parse_shebang("#!/usr/bin/env -i LANG=C -u TZ ruby\r\n");
  REQUIRE(s);
  CHECK(s->program == "ruby");

  s = cfg::parse_shebang("#!/usr/bin/env\n");
  REQUIRE(s);
  CHECK(s->program.empty());

  CHECK_FALSE(cfg::parse_shebang("#!\n"));
  CHECK_FALSE(cfg::parse_shebang("# not a shebang\n"));
}

TEST_CASE("script candidates: executable, or under program directories") {
  CHECK(cfg::is_script_candidate("/opt/app/run", 0100755));
  CHECK(cfg::is_script_candidate("/usr/libexec/tool/helper", 0100644));
  CHECK(cfg::is_script_candidate("/etc/cron.daily/logrotate", 0100644));
  CHECK(cfg::is_script_candidate("/etc/rc.d/init.d/svc", 0100644));
  CHECK_FALSE(cfg::is_script_candidate("/usr/share/doc/example.py", 0100644));
  CHECK_FALSE(cfg::is_script_candidate("/opt/bin", 0100644));  // the name is not a directory
}

TEST_CASE("crontab lines: system tables carry a user; env lines skipped; odd lines reported") {
  Diagnostics diags;
  const std::string text =
      "SHELL=/bin/bash\n"
      "MAILTO = root\n"
      "*/5 * * * * root LANG=C /usr/bin/python3 /opt/job.py --fast\n"
      "@reboot   appuser /opt/app/start.sh\n"
      "0 3 * * mon-fri backup tar czf /b.tgz /etc\n"
      "garbage line here\n"
      "1 2 3 4 5 onlyuser\n";
  auto jobs = cfg::parse_crontab(text, "/etc/cron.d/app", true, "", diags);
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].schedule == "*/5 * * * *");
  CHECK(jobs[0].user == "root");
  CHECK(jobs[0].command == "LANG=C /usr/bin/python3 /opt/job.py --fast");
  CHECK(jobs[0].program == "/usr/bin/python3");
  CHECK(jobs[1].schedule == "@reboot");
  CHECK(jobs[1].user == "appuser");
  CHECK(jobs[1].program == "/opt/app/start.sh");
  CHECK(jobs[2].schedule == "0 3 * * mon-fri");
  CHECK(jobs[2].program == "tar");
  CHECK(has_diag(diags, "cron.syntax", "/etc/cron.d/app", "line 6"));
  CHECK(has_diag(diags, "cron.syntax", "/etc/cron.d/app", "line 7"));
  CHECK(diags.size() == 2);

  Diagnostics d2;
  auto user_jobs =
      cfg::parse_crontab("30 1 * * * /home/al/bin/sync\n", "/var/spool/cron/al", false, "al", d2);
  REQUIRE(user_jobs.size() == 1);
  CHECK(user_jobs[0].user == "al");
  CHECK(user_jobs[0].command == "/home/al/bin/sync");
  CHECK(d2.size() == 0);
}

TEST_CASE("unit files: Exec prefixes stripped, continuations joined, User read") {
  Diagnostics diags;
  premigrate::facts::ServiceUnit u;
  u.path = "/etc/systemd/system/app.service";
  const std::string text =
      "[Unit]\n"
      "Description=App\n"
      "[Service]\n"
      "User=app\n"
      "ExecStartPre=-/usr/bin/mkdir -p /run/app\n"
      "ExecStart=@+/opt/app/bin/appd \\\n"
      "   --config /etc/app.conf\n"
      "ExecStartPost=!!/usr/libexec/app/post\n"
      "ExecReload=:/bin/kill -HUP $MAINPID\n"
      "ExecStop=\n"
      "not a key value line\n"
      "[Install]\n"
      "WantedBy=multi-user.target\n";
  cfg::parse_unit_file(text, u, diags);
  CHECK(u.user == "app");
  CHECK(u.programs == std::vector<std::string>{"/bin/kill", "/opt/app/bin/appd", "/usr/bin/mkdir",
                                               "/usr/libexec/app/post"});
  CHECK(has_diag(diags, "config.unit_syntax", "/etc/systemd/system/app.service", "line 11"));
  CHECK(diags.size() == 1);
}

TEST_CASE("SysV scripts: the daemon program, through variables") {
  const std::string text =
      "#!/bin/sh\n"
      "# chkconfig: 2345 55 25\n"
      "exec=/usr/sbin/mydaemon\n"
      "prog=mydaemon\n"
      "start() {\n"
      "  daemon --user nobody --pidfile /run/x.pid $exec -c /etc/x.conf\n"
      "}\n";
  CHECK(cfg::sysv_programs(text) == std::vector<std::string>{"/usr/sbin/mydaemon"});
  CHECK(cfg::sysv_programs("start-stop-daemon --start --exec /usr/bin/other\n") ==
        std::vector<std::string>{"/usr/bin/other"});
  CHECK(cfg::sysv_programs("echo nothing here\n").empty());
}

TEST_CASE("repo files: multi-line baseurl, booleans, odd lines") {
  Diagnostics diags;
  const std::string text =
      "stray=1\n"
      "[base]\n"
      "name=CentOS-$releasever - Base\n"
      "baseurl=http://mirror.example/centos/7/os/x86_64/\n"
      "        http://vault.example/centos/7/os/x86_64/,http://third.example/c7/\n"
      "gpgcheck=1\n"
      "enabled=0\n"
      "\n"
      "[updates]\n"
      "mirrorlist=http://mirrorlist.example/?release=7\n"
      "gpgcheck=maybe\n"
      "[broken\n"
      "what is this\n"
      "[epel]\n"
      "metalink=https://mirrors.example/metalink?repo=epel-7\n"
      "enabled=True\n"
      "gpgcheck=no\n";
  auto repos = cfg::parse_repo_file(text, "/etc/yum.repos.d/a.repo", diags);
  REQUIRE(repos.size() == 3);
  CHECK(repos[0].id == "base");
  CHECK(repos[0].name == "CentOS-$releasever - Base");
  CHECK(repos[0].baseurl == std::vector<std::string>{"http://mirror.example/centos/7/os/x86_64/",
                                                     "http://vault.example/centos/7/os/x86_64/",
                                                     "http://third.example/c7/"});
  CHECK_FALSE(repos[0].enabled);
  CHECK(repos[0].gpgcheck);
  CHECK(repos[1].id == "updates");
  CHECK(repos[1].mirrorlist == "http://mirrorlist.example/?release=7");
  CHECK(repos[1].gpgcheck);  // unparseable boolean keeps the default
  CHECK(repos[2].id == "epel");
  CHECK(repos[2].metalink == "https://mirrors.example/metalink?repo=epel-7");
  CHECK(repos[2].enabled);
  CHECK_FALSE(repos[2].gpgcheck);
  CHECK(repos[2].file == "/etc/yum.repos.d/a.repo");
  CHECK(has_diag(diags, "repo.syntax", "/etc/yum.repos.d/a.repo", "line 1"));
  CHECK(has_diag(diags, "repo.syntax", "/etc/yum.repos.d/a.repo", "line 11"));
  CHECK(has_diag(diags, "repo.syntax", "/etc/yum.repos.d/a.repo", "line 12"));
  CHECK(has_diag(diags, "repo.syntax", "/etc/yum.repos.d/a.repo", "line 13"));
  CHECK(diags.size() == 4);
}

TEST_CASE("text from hostile files comes out as valid UTF-8") {
  Diagnostics diags;
  auto jobs =
      cfg::parse_crontab("* * * * * root /opt/b\xff\xfein \\%x\n", "/etc/crontab", true, "", diags);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].command == "/opt/b\\xff\\xfein \\%x");
  CHECK(jobs[0].program == "/opt/b\\xff\\xfein");
  auto vars = cfg::parse_shell_assignments("NAME=\"caf\xc3\xa9 \xc3\"\n", "/etc/os-release", diags,
                                           "config.syntax");
  CHECK(vars["NAME"] == "caf\xc3\xa9 \\xc3");
  CHECK(diags.size() == 0);
}
