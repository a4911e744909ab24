// Kernel modules: every out-of-tree module must be rebuilt for the target kernel; the symbols
// it uses that the target kernel's kABI list does not cover are listed (porting effort). A
// module the host needs to boot (listed in modules-load.d, or built on the in-tree storage or
// network cores named in the analysis profile) is reported as boot-critical.
#include <algorithm>
#include <set>

#include "analyze/context.hpp"

namespace premigrate::analyze {

namespace {

// Module names listed in modules-load.d files ("#" and ";" start comments; man modules-load.d).
std::set<std::string> modules_loaded_at_boot(const ArchContext& c) {
  std::set<std::string> out;
  for (const auto& dir : c.profile.modules_load_dirs) {
    const auto* g = c.inv.root_reads.glob(dir + "/*.conf");
    if (g == nullptr) continue;
    for (const auto& f : g->matches) {
      const auto* tf = c.inv.root_reads.file(f);
      if (tf == nullptr || tf->status != facts::ReadStatus::kOk)
        continue;  // the collect stage said why
      for (auto l : tf->lines) {
        const auto b = l.find_first_not_of(" \t");
        l = b == std::string::npos ? std::string() : l.substr(b, l.find_last_not_of(" \t") - b + 1);
        if (l.empty() || l[0] == '#' || l[0] == ';') continue;
        std::replace(l.begin(), l.end(), '-', '_');
        out.insert(l);
      }
    }
  }
  return out;
}

std::string norm(std::string n) {
  std::replace(n.begin(), n.end(), '-', '_');
  return n;
}

}  // namespace

void check_kernel_modules(const ArchContext& c) {
  std::vector<const facts::KernelModule*> oot;
  for (const auto& m : c.inv.kernel_modules)
    if (m.out_of_tree) oot.push_back(&m);
  if (oot.empty()) return;
  const bool kabi = c.kb && c.coverage("kabi").status != kb::CoverageStatus::kUnknown;
  if (!kabi && c.kb) {
    c.skip(Check::kKernelModuleKabi, "the KB has no kABI list for this target and architecture: " +
                                         c.coverage("kabi").reason);
  }
  const auto at_boot = modules_loaded_at_boot(c);
  const std::string kernel =
      c.kb && !c.kb->kernel().version.empty() ? c.kb->kernel().version : "the target kernel";
  // Modules whose every symbol the target's kABI list exports: counted as proven, the same way
  // as ELF objects (PM-ELF-011).
  Hit proven{"kmod_kabi_verified", "kabi", {}, {}, {}};
  for (const auto* m : oot) {
    Hit h;
    h.kind = "kmod_out_of_tree";
    h.subject = m->name;
    h.attrs = {{"module", m->name},
               {"path", m->path},
               {"vermagic", m->vermagic},
               {"target_kernel", kernel},
               {"machine", m->machine}};
    h.evidence.push_back(
        {m->path,
         "vermagic " + m->vermagic + (m->package.empty() ? ", unowned" : ", from " + m->package)});
    std::set<std::string> symbols;
    for (const auto& v : m->versions) symbols.insert(v.symbol);
    if (symbols.empty()) symbols.insert(m->undefined.begin(), m->undefined.end());
    int gap = 0;
    if (kabi) {
      for (const auto& s : symbols) {
        if (c.kb->kabi_symbol(s).found) continue;
        ++gap;
        h.evidence.push_back({s, "not in the target kernel's kABI list"});
      }
    }
    h.attrs["kabi_gap"] = gap > 0 ? "yes" : (kabi ? "no" : "unknown");
    h.attrs["uncovered"] = std::to_string(gap);
    h.attrs["symbols"] = std::to_string(symbols.size());
    c.hits.push_back(h);
    if (kabi && gap == 0 && !symbols.empty())
      proven.evidence.push_back(
          {m->path, std::to_string(symbols.size()) + " symbol(s), all in the kABI list"});

    std::string why;
    if (at_boot.count(norm(m->name))) why = "listed in modules-load.d";
    for (const auto& d : m->depends) {
      if (std::find(c.profile.boot_critical_depends.begin(), c.profile.boot_critical_depends.end(),
                    norm(d)) != c.profile.boot_critical_depends.end()) {
        why += (why.empty() ? "" : "; ") + std::string("depends on ") + d;
      }
    }
    if (!why.empty()) {
      c.hits.push_back({"kmod_boot_critical",
                        m->name,
                        {{"module", m->name}, {"why", why}, {"target_kernel", kernel}},
                        {{m->path, why}},
                        {}});
    }
  }
  if (!proven.evidence.empty()) {
    proven.attrs = {{"checked", std::to_string(oot.size())},
                    {"verified", std::to_string(proven.evidence.size())},
                    {"target_kernel", kernel}};
    c.hits.push_back(std::move(proven));
  }
}

}  // namespace premigrate::analyze
