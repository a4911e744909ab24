// Host-level facts read from fixed places of the file-system layout.
#include "collect/config/host.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "collect/config/repos.hpp"
#include "collect/config/root_reads.hpp"
#include "collect/config/text_parse.hpp"
#include "collect/files/confined_io.hpp"
#include "core/text.hpp"

namespace premigrate::collect::config {

namespace {

std::string version_part(const std::string& version) {
  const auto dot = version.find('.');
  std::string major = version.substr(0, dot);
  // Bytes of a release file are host input: no std::stoi (it throws past INT_MAX, found by
  // fuzz_config) and no ::isdigit on a plain char (undefined for bytes above 0x7f).
  if (major.empty() ||
      !std::all_of(major.begin(), major.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return version;
  unsigned long long number = 0;
  const auto parsed = std::from_chars(major.data(), major.data() + major.size(), number);
  const bool large = parsed.ec == std::errc::result_out_of_range || number >= 20;
  if (dot != std::string::npos && large) {
    // Date-style releases (YY.MM): the month is part of the release name.
    const auto dot2 = version.find('.', dot + 1);
    return version.substr(0, dot2);
  }
  return major;
}

std::string first_line(const std::string& text) {
  return core::printable_text(trim(std::string_view(text).substr(0, text.find('\n'))));
}

void add_kernel_cmdline(const core::RootFs& root, facts::HostInfo& host, core::Diagnostics& diags) {
  if (auto text = files::read_small_file(root, "/etc/default/grub", diags, "config.unreadable")) {
    auto vars = parse_shell_assignments(*text, "/etc/default/grub", diags, "config.syntax");
    auto it = vars.find("GRUB_CMDLINE_LINUX");
    if (it != vars.end()) {
      host.kernel_cmdline = it->second;
      return;
    }
  }
  // BLS layouts (EL8+): entries carry "options", often "$kernelopts" from grubenv.
  std::string kernelopts;
  for (const char* env : {"/boot/grub2/grubenv", "/boot/efi/EFI/grubenv"}) {
    auto text = files::read_small_file(root, env, diags, "config.unreadable");
    if (!text) continue;
    for (auto line : split_lines(*text)) {
      if (line.substr(0, 11) == "kernelopts=") kernelopts = core::printable_text(line.substr(11));
    }
    if (!kernelopts.empty()) break;
  }
  if (auto entries = files::list_dir(root, "/boot/loader/entries")) {
    for (const auto& e : *entries) {
      if (e.name.size() < 6 || e.name.substr(e.name.size() - 5) != ".conf") continue;
      auto text = files::read_small_file(root, e.root_path, diags, "config.unreadable");
      if (!text) continue;
      for (auto line : split_lines(*text)) {
        line = trim(line);
        if (line.substr(0, 8) != "options " && line.substr(0, 8) != "options\t") continue;
        std::string opts = core::printable_text(trim(line.substr(8)));
        const auto var = opts.find("$kernelopts");
        if (var != std::string::npos) opts.replace(var, 11, kernelopts);
        host.kernel_cmdline = std::string(trim(opts));
        return;
      }
    }
  }
  host.kernel_cmdline = kernelopts;
}

}  // namespace

ReleaseId release_from_os_release(const std::map<std::string, std::string>& osr,
                                  const std::string& file) {
  ReleaseId r;
  auto get = [&](const char* k) {
    auto it = osr.find(k);
    return it == osr.end() ? std::string() : it->second;
  };
  const std::string id = core::ascii_lower(get("ID"));
  const std::string version = get("VERSION_ID");
  if (id.empty() || version.empty()) return r;
  const bool stream = get("NAME").find("Stream") != std::string::npos;
  r.id = id + (stream ? "-stream-" : "-") + version_part(version);
  r.evidence = file + ": ID=" + get("ID") + " VERSION_ID=" + version +
               (stream ? " NAME=" + get("NAME") : "");
  return r;
}

ReleaseId release_from_release_line(const std::string& line, const std::string& file) {
  ReleaseId r;
  const auto pos = line.find(" release ");
  if (pos == std::string::npos) return r;
  const std::string name = line.substr(0, pos);
  std::string rest = line.substr(pos + 9);
  const std::string version = rest.substr(0, rest.find(' '));
  if (name.empty() || version.empty() || !std::isdigit(static_cast<unsigned char>(version[0]))) {
    return r;
  }
  // The vendor's product name in these files ("Red Hat Enterprise Linux Server") is not its
  // os-release ID; take the ID from the initials of the words before "Enterprise Linux".
  std::string id;
  const auto ent = name.find("Enterprise Linux");
  if (ent != std::string::npos) {
    std::string vendor = name.substr(0, ent);
    for (std::size_t i = 0; i < vendor.size(); ++i) {
      if (std::isalpha(static_cast<unsigned char>(vendor[i])) && (i == 0 || vendor[i - 1] == ' ')) {
        id += static_cast<char>(std::tolower(static_cast<unsigned char>(vendor[i])));
      }
    }
    id += "el";
  } else {
    id = core::ascii_lower(name.substr(0, name.find(' ')));
  }
  const bool stream = name.find("Stream") != std::string::npos;
  r.id = id + (stream ? "-stream-" : "-") + version_part(version);
  r.evidence = file + ": " + line;
  return r;
}

namespace {
// os-release, else the first *-release file: fills host.os_release and host.system_release and
// returns the release they name.
ReleaseId read_release(const core::RootFs& root, facts::HostInfo& host, core::Diagnostics& diags) {
  std::string osr_file;
  for (const char* f : {"/etc/os-release", "/usr/lib/os-release"}) {
    auto text = files::read_small_file(root, f, diags, "config.unreadable");
    if (!text) continue;
    host.os_release = parse_shell_assignments(*text, f, diags, "config.syntax");
    osr_file = f;
    break;
  }
  std::string release_file;
  for (const char* f : {"/etc/centos-release", "/etc/redhat-release", "/etc/system-release"}) {
    auto text = files::read_small_file(root, f, diags, "config.unreadable");
    if (!text) continue;
    host.system_release = first_line(*text);
    release_file = f;
    break;
  }
  ReleaseId rel;
  if (!osr_file.empty()) rel = release_from_os_release(host.os_release, osr_file);
  if (rel.id.empty() && !release_file.empty()) {
    rel = release_from_release_line(host.system_release, release_file);
  }
  return rel;
}
}  // namespace

std::string source_release(const core::RootFs& root) {
  facts::HostInfo scratch;
  core::Diagnostics quiet;  // collect_host reports the same reads
  return read_release(root, scratch, quiet).id;
}

facts::HostInfo collect_host(const core::RootFs& root, const std::vector<facts::Package>& packages,
                             core::Diagnostics& diags) {
  facts::HostInfo host;
  const ReleaseId rel = read_release(root, host, diags);
  host.source_release = rel.id;
  host.source_release_evidence = rel.evidence;

  std::set<std::string> kernels;
  if (auto mods = files::list_dir(root, "/lib/modules")) {
    for (const auto& e : *mods) {
      if (S_ISDIR(e.mode)) kernels.insert(core::printable_path(e.name));
    }
  }
  if (auto boot = files::list_dir(root, "/boot")) {
    for (const auto& e : *boot) {
      // vmlinuz-0-rescue-<machine id> is a copy made for rescue boots, not a release.
      if (S_ISREG(e.mode) && e.name.rfind("vmlinuz-", 0) == 0 &&
          e.name.find("-rescue-") == std::string::npos) {
        kernels.insert(core::printable_path(e.name.substr(8)));
      }
    }
  }
  host.kernels.assign(kernels.begin(), kernels.end());

  std::set<std::string> arches;
  for (const auto& p : packages) {
    if (!p.arch.empty() && p.arch != "noarch") arches.insert(p.arch);
  }
  host.architectures.assign(arches.begin(), arches.end());

  add_kernel_cmdline(root, host, diags);

  if (auto text = files::read_small_file(root, "/etc/selinux/config", diags, "config.unreadable")) {
    auto vars = parse_shell_assignments(*text, "/etc/selinux/config", diags, "config.syntax");
    auto it = vars.find("SELINUX");
    if (it != vars.end()) host.selinux_mode = core::ascii_lower(it->second);
  }
  host.repos = collect_repos(root, diags);
  host.ld_so_conf_dirs = collect_ld_so_conf(root, diags);
  return host;
}

}  // namespace premigrate::collect::config
