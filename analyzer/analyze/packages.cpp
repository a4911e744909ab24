// Packages: every installed distribution package's fate on the target (KB package_fate), the
// target version, the version change (libsolv rpmvercmp) and major-version jumps. Third-party
// packages (another vendor, unsigned, or signed with another key: a rebuild) are judged by the
// dependency checker instead: the target does not replace them.
#include <algorithm>

#include "analyze/context.hpp"
#include "kb/evr.hpp"
#include "kb/soname.hpp"

namespace premigrate::analyze {

namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// The source package's name from SOURCERPM ("bzip2-1.0.6-13.el7.src.rpm" -> "bzip2").
std::string source_name_of(std::string srpm) {
  constexpr std::string_view kSuffix = ".src.rpm";
  if (srpm.size() <= kSuffix.size() ||
      srpm.compare(srpm.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
    return {};
  srpm.resize(srpm.size() - kSuffix.size());
  for (int i = 0; i < 2; ++i) {
    const auto dash = srpm.rfind('-');
    if (dash == std::string::npos || dash == 0) return {};
    srpm.resize(dash);
  }
  return srpm;
}

// The files that say what a package is: its executables (the resolver asks who owns them on
// the target when the name is gone).
std::vector<std::string> key_files_of(const facts::Package& p) {
  std::vector<std::string> out;
  for (const auto& f : p.files) {
    const bool exe_dir = f.path.rfind("/usr/bin/", 0) == 0 || f.path.rfind("/usr/sbin/", 0) == 0 ||
                         f.path.rfind("/bin/", 0) == 0 || f.path.rfind("/sbin/", 0) == 0;
    if (exe_dir && (f.mode & 0170000) == 0100000) out.push_back(f.path);
  }
  return out;
}

}  // namespace

std::vector<std::string> third_party_reasons(const facts::Package& p, const SourceProfile* sp) {
  std::vector<std::string> out;
  if (!sp) return out;  // unknown source distribution: nothing is "foreign" to it
  if (std::find(sp->vendors.begin(), sp->vendors.end(), p.vendor) == sp->vendors.end())
    out.emplace_back("foreign_vendor");
  if (!p.signature) {
    out.emplace_back("unsigned");
  } else if (std::find(sp->signing_keys.begin(), sp->signing_keys.end(), p.signature->key_id) ==
             sp->signing_keys.end()) {
    out.emplace_back("foreign_key");
  }
  return out;
}

std::optional<Hit> third_party_on_target(const ArchContext& c, const facts::Package& p) {
  if (!c.kb) return std::nullopt;
  const auto fate = c.kb->package_fate(p.name);
  if (fate.kind != kb::FateKind::kPresent) return std::nullopt;
  Hit h;
  h.kind = "third_party_on_target";
  h.subject = p.name;
  h.attrs = {{"name", p.name},
             {"nevra", p.nevra()},
             {"vendor", p.vendor.empty() ? "(none)" : p.vendor},
             {"repo", fate.repo.empty() ? "(unknown)" : fate.repo},
             {"target_version", fate.evr.empty() ? "(unknown)" : fate.evr},
             {"evidence", fate.evidence}};
  h.evidence.push_back({p.nevra(), fate.reason + " [" + fate.evidence +
                                       " evidence: " + join(fate.datasets, ", ") + "]"});
  return h;
}

bool is_source_vendor_package(const facts::Package& p, const SourceProfile* sp) {
  return sp && std::find(sp->vendors.begin(), sp->vendors.end(), p.vendor) != sp->vendors.end();
}

void check_packages(const ArchContext& c) {
  if (!c.kb) return;
  const auto bin = c.coverage("binary_packages");
  const auto src = c.coverage("source_packages");
  if (bin.status == kb::CoverageStatus::kUnknown && src.status == kb::CoverageStatus::kUnknown) {
    c.skip(Check::kPackages,
           "the KB holds no package lists for this target and architecture: " + bin.reason);
    return;
  }
  const auto* sp = c.profile.source(c.source);
  // Packages whose fate the KB cannot decide: they stay in the outcome table, and one hit per
  // architecture says how many there are and why (PM-PKG-014), rather than a finding each.
  Hit gap{"package_coverage_gap", "packages the KB cannot place on " + c.arch, {}, {}, {}};
  int judged = 0, unknown = 0, source_only = 0;
  for (const auto& p : c.inv.packages) {
    if (p.arch.empty()) continue;  // gpg-pubkey pseudo packages
    // A package from the source distribution's vendor is replaced by the target's; anything
    // else stays as it is and is judged by its dependencies (check_dependencies).
    if (!is_source_vendor_package(p, sp) || !third_party_reasons(p, sp).empty()) continue;
    std::vector<std::string> sonames;
    for (const auto& d : p.provides)
      if (kb::parse_soname_capability(d.name, "rpm")) sonames.push_back(d.name);
    const auto fate = c.kb->package_fate(
        kb::FateQuery{p.name, source_name_of(p.sourcerpm), key_files_of(p), sonames});
    Hit h;
    h.kind = "package_fate_in";
    h.subject = p.name;
    h.attrs["fate"] = kb::to_string(fate.kind);
    h.attrs["repo"] = fate.repo;
    h.attrs["name"] = p.name;
    h.attrs["nevra"] = p.nevra();
    h.attrs["installed_version"] = p.evr();
    h.attrs["target_version"] = fate.evr;
    h.attrs["successors"] = join(fate.targets, ", ");
    h.attrs["fate_reason"] = fate.reason;
    h.attrs["evidence"] = fate.evidence;
    h.attrs["reference"] = fate.reference.empty() ? join(fate.datasets, ", ") : fate.reference;
    std::string change = "unknown";
    bool major = false;
    if (!fate.evr.empty()) {
      const int cmp = kb::version_compare(fate.evr, p.evr());
      change = cmp == 0 ? "same" : (cmp > 0 ? "upgrade" : "downgrade");
      major = kb::major_version_differs(p.version, fate.evr);
    }
    h.attrs["version_change"] = change;
    h.attrs["major_jump"] = major ? "yes" : "no";
    h.evidence.push_back({p.nevra(), fate.reason + " [" + fate.evidence +
                                         " evidence: " + join(fate.datasets, ", ") + "]"});
    ++judged;
    if (fate.kind == kb::FateKind::kUnknown || fate.kind == kb::FateKind::kSourcePresent) {
      (fate.kind == kb::FateKind::kUnknown ? unknown : source_only)++;
      gap.evidence.push_back({p.nevra(), fate.reason});
    }
    c.hits.push_back(std::move(h));
  }
  if (gap.evidence.empty()) return;
  gap.attrs = {{"judged", std::to_string(judged)},
               {"undecided", std::to_string(unknown + source_only)},
               {"unknown", std::to_string(unknown)},
               {"source_only", std::to_string(source_only)},
               {"binary_coverage", kb::to_string(bin.status)},
               {"binary_reason", bin.reason}};
  c.hits.push_back(std::move(gap));
}

}  // namespace premigrate::analyze
