// Generated report JSON for tests of the renderers, diff and fleet: realistic shapes and
// sizes (any number of findings, evidence, waivers, diagnostics), deterministic per seed.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace premigrate::testing {

class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : s_(seed * 6364136223846793005ULL + 1442695040888963407ULL) {}
  std::uint32_t next() {
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(s_ >> 33);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint32_t>(n)); }

 private:
  std::uint64_t s_;
};

struct SyntheticRule {
  const char* category;
  const char* severity;
  const char* subject;  // {n} is replaced by a number
  const char* message;
  const char* remediation;
};

// Realistic kinds of finding; rule r uses kSyntheticRules[r % 12].
inline const SyntheticRule kSyntheticRules[] = {
    {"elf-linkage", "blocker", "/opt/acme/bin/acme-agent{n}",
     "needs libcrypto.so.10, which no openEuler package provides",
     "rebuild acme-agent against OpenSSL 1.1/3 or ship libcrypto.so.10 with the application"},
    {"kernel-modules", "blocker", "/lib/modules/3.10.0-1160.el7.x86_64/extra/acmefs{n}.ko",
     "out-of-tree kernel module built for the CentOS 7 kernel ABI",
     "obtain a module built for the openEuler kernel (kABI 5.10) from the vendor"},
    {"packages", "high", "python2-{n}", "Python 2 is not available on the target",
     "port the dependent scripts to Python 3"},
    {"config", "high", "/etc/ssh/sshd_config.{n}",
     "option RSAAuthentication was removed from OpenSSH 8",
     "remove the option; RSA keys keep working through PubkeyAuthentication"},
    {"packages", "medium", "ntp-4.2.6p5-{n}", "ntp is replaced by chrony on the target",
     "migrate /etc/ntp.conf servers to /etc/chrony.conf"},
    {"scripts-services", "medium", "/etc/rc.d/init.d/acme{n}",
     "SysV init script without a systemd unit", "write a systemd unit for the service"},
    {"third-party-dependencies", "medium", "acme-tools-{n}.el7",
     "third-party package from vendor Acme has no build for the target",
     "ask the vendor for an openEuler build or rebuild from the source rpm"},
    {"elf-linkage", "low", "/usr/local/lib/libacme{n}.so", "uses GLIBC_PRIVATE symbols",
     "avoid private glibc symbols; they may change between releases"},
    {"config", "low", "/etc/sysconfig/network-scripts/ifcfg-eth{n}",
     "network-scripts are deprecated in favour of NetworkManager keyfiles",
     "convert with nmcli connection migrate after the upgrade"},
    {"packages", "info", "yum-utils-{n}", "yum is provided by dnf on the target",
     "no action needed; the yum command keeps working"},
    {"kernel-modules", "high", "/lib/modules/3.10.0-1160.el7.x86_64/extra/acmenet{n}.ko",
     "module uses symbols that are not in the target kABI whitelist",
     "ask the vendor for a module built against the openEuler kABI"},
    {"scripts-services", "low", "/etc/cron.daily/acme-report{n}",
     "cron script calls /usr/bin/python (absent on the target)", "call python3 explicitly"},
};

inline std::string fill(const char* pattern, int n) {
  std::string s = pattern;
  const auto at = s.find("{n}");
  if (at != std::string::npos) s.replace(at, 3, std::to_string(n));
  return s;
}

// A report with `findings` findings over `rules` rules. Finding ids are "f-<n>" so two reports
// with overlapping n share findings (diff tests); `host` names the root.
inline nlohmann::json synthetic_report(int findings, std::uint64_t seed,
                                       const std::string& host = "host-1", int rules = 40,
                                       int first_id = 0) {
  Lcg rng(seed);
  nlohmann::json fs = nlohmann::json::array();
  std::map<std::string, std::map<std::string, int>> counts;
  bool blocked_x86 = false, blocked_arm = false;
  for (int i = 0; i < findings; ++i) {
    const int rule = rng.below(rules);
    const auto& kind = kSyntheticRules[rule % 12];
    const std::string sev = kind.severity;
    const int arch_pick = rng.below(5);  // mostly both, sometimes one
    nlohmann::json archs = arch_pick == 0   ? nlohmann::json{"aarch64"}
                           : arch_pick == 1 ? nlohmann::json{"x86_64"}
                                            : nlohmann::json{"x86_64", "aarch64"};
    const bool waived = rng.below(17) == 0;
    const std::string subject = fill(kind.subject, rule * 100 + i % 97);
    nlohmann::json ev = nlohmann::json::array();
    for (int e = 0, ne = 1 + rng.below(3); e < ne; ++e) {
      ev.push_back({{"subject", e == 0 ? subject : subject + ".d/" + std::to_string(e)},
                    {"detail", e == 0 ? std::string(kind.message) : "also referenced from here"}});
    }
    fs.push_back({{"id", "f-" + std::to_string(first_id + i)},
                  {"rule_id", "PM-SYN-" + std::to_string(100 + rule)},
                  {"category", kind.category},
                  {"severity", sev},
                  {"archs", archs},
                  {"subject", subject},
                  {"message", kind.message},
                  {"evidence", ev},
                  {"remediation", kind.remediation},
                  {"references", nlohmann::json{"https://docs.openeuler.org/"}},
                  {"waived", waived},
                  {"waiver_reason", waived ? "accepted by the application owner" : ""}});
    if (!waived) {
      for (const auto& a : archs) {
        counts[a.get<std::string>()][sev]++;
        if (sev == "blocker") (a == "x86_64" ? blocked_x86 : blocked_arm) = true;
      }
    }
  }
  auto verdict = [&](bool blocked, const std::string& a) {
    if (blocked) return std::string("blocked");
    return counts[a].empty() ? std::string("ready") : std::string("ready_after_actions");
  };
  return {{"schema_version", 1},
          {"tool", {{"name", "premigrate"}, {"version", "0.0.0-test"}}},
          {"generated_at", "2023-11-14T22:13:20Z"},
          {"target", "openeuler-22.03-lts-sp4"},
          {"archs", {"x86_64", "aarch64"}},
          {"kb",
           {{"kb_version", "2023.11"},
            {"datasets", {{{"name", "repodata"}, {"source", "openEuler 22.03 SP4 everything"}}}}}},
          {"host",
           {{"root", "/srv/images/" + host},
            {"facts",
             {{"source_release", "centos-7"},
              {"system_release", "CentOS Linux release 7.9.2009 (Core)"},
              {"os_release", {{"PRETTY_NAME", "CentOS Linux 7 (Core)"}}},
              {"kernels", {"3.10.0-1160.el7.x86_64"}},
              {"architectures", {"x86_64"}},
              {"selinux_mode", "enforcing"}}},
            {"rpmdb", {{"status", "ok"}, {"backend", "bdb"}, {"path", "/var/lib/rpm"}}},
            {"collectors", {{{"name", "rpmdb"}, {"status", "ok"}, {"reason", ""}}}}}},
          {"inventory_summary",
           {{"packages", 412},
            {"packages_unsigned", 3},
            {"packages_by_vendor", {{"CentOS", 409}, {"Acme", 3}}},
            {"elf_objects", 5120},
            {"elf_objects_unpackaged", 14},
            {"kernel_modules", 2},
            {"kernel_modules_out_of_tree", 1}}},
          {"verdicts",
           {{{"arch", "x86_64"},
             {"verdict", verdict(blocked_x86, "x86_64")},
             {"counts", counts["x86_64"]},
             {"checks_not_run", nlohmann::json::array()}},
            {{"arch", "aarch64"},
             {"verdict", verdict(blocked_arm, "aarch64")},
             {"counts", counts["aarch64"]},
             {"checks_not_run", nlohmann::json::array()}}}},
          {"findings", fs},
          {"diagnostics",
           {{{"level", "warning"},
             {"code", "elf.truncated"},
             {"path", "/opt/acme/bin/broken"},
             {"where", "section .dynamic"},
             {"message", "truncated"},
             {"count", 2}}}},
          {"diagnostics_suppressed", nlohmann::json::object()}};
}

}  // namespace premigrate::testing
