// ELF objects that no target package will replace (unpackaged, or owned by a third-party
// package): machine and class against the target architecture, static and Go binaries, and
// every DT_NEEDED soname and required version node resolved against bundled libraries
// (RPATH/RUNPATH with $ORIGIN, the same directory), the libraries that remain in the linker's
// directories (trusted ones and ld.so.conf), and the KB.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analyze/analyze.hpp"
#include "analyze/context.hpp"
#include "analyze/elf_exports.hpp"
#include "core/arch.hpp"
#include "core/text.hpp"
#include "kb/soname.hpp"

namespace premigrate::analyze {

namespace {

std::string dir_of(const std::string& path) {
  const auto s = path.rfind('/');
  return s == std::string::npos || s == 0 ? "/" : path.substr(0, s);
}

std::string expand_origin(std::string dir, const std::string& origin) {
  for (const char* tok : {"${ORIGIN}", "$ORIGIN"}) {
    const std::string t = tok;
    for (auto pos = dir.find(t); pos != std::string::npos; pos = dir.find(t))
      dir.replace(pos, t.size(), origin);
  }
  return core::normalize_path(dir);
}

// The linker's trusted directories (analysis profile) and the ones /etc/ld.so.conf adds (read
// by the collect stage, its includes followed).
std::vector<std::string> linker_dirs(const ArchContext& c) {
  std::vector<std::string> dirs = c.profile.library_dirs;
  dirs.insert(dirs.end(), c.inv.host.ld_so_conf_dirs.begin(), c.inv.host.ld_so_conf_dirs.end());
  return dirs;
}

// The ELF machine word of each target architecture as collect/elf spells it.
bool same_machine(const std::string& machine, const std::string& arch) { return machine == arch; }

// Whether `lib` exports a symbol named `name`. The ELF reader sorts exports by name, so a
// binary search answers without a set built per (object, library) pair (that set was a tenth
// of an ELF-dense scan); a list read back from an edited inventory may not be sorted, which is
// checked once per library.
class ExportNames {
 public:
  bool contains(const facts::ElfObject& lib, facts::Interned name) {
    const auto& v = lib.exported;
    auto [it, fresh] = sorted_.try_emplace(&lib, false);
    if (fresh) {
      it->second = std::is_sorted(v.begin(), v.end(), [](const auto& a, const auto& b) {
        return a.name.view() < b.name.view();
      });
    }
    if (!it->second)
      return std::any_of(v.begin(), v.end(), [&](const auto& s) { return s.name == name; });
    const auto text = name.view();
    const auto at = std::lower_bound(v.begin(), v.end(), text,
                                     [](const auto& s, auto t) { return s.name.view() < t; });
    return at != v.end() && at->name == name;
  }

 private:
  std::unordered_map<const facts::ElfObject*, bool> sorted_;
};

}  // namespace

std::function<bool(const facts::ElfObject&)> elf_object_stays(const facts::Inventory& inv,
                                                              const Profile& profile,
                                                              const std::string& source) {
  const auto* sp = profile.source(source);
  auto by_nevra = std::make_shared<std::unordered_map<std::string, const facts::Package*>>();
  for (const auto& p : inv.packages) by_nevra->emplace(p.nevra(), &p);
  return [sp, by_nevra](const facts::ElfObject& e) {
    if (e.package.empty()) return true;
    auto it = by_nevra->find(e.package);
    return it == by_nevra->end() || !third_party_reasons(*it->second, sp).empty();
  };
}

void check_elf_linkage(const ArchContext& c) {
  const auto remains = elf_object_stays(c.inv, c.profile, c.source);
  std::vector<const facts::ElfObject*> staying;
  for (const auto& e : c.inv.elf_objects)
    if (remains(e)) staying.push_back(&e);
  if (staying.empty()) return;

  // Libraries that stay, by path; and the directories the dynamic linker searches by default
  // (ld.so(8): the trusted directories, plus those listed in ld.so.conf).
  std::unordered_map<std::string, const facts::ElfObject*> lib_by_path;
  for (const auto* e : staying) {
    if (e->type == "dyn") lib_by_path.emplace(e->path, e);
  }
  const auto system_dirs = linker_dirs(c);
  const auto prov = c.coverage("provides");
  const bool kb_sonames = c.kb && prov.status != kb::CoverageStatus::kUnknown;
  bool used_kb = false, version_gap = false;
  // Sonames for which the KB knows version nodes at all; for the others it cannot answer.
  std::unordered_set<std::string> versioned;
  if (kb_sonames) {
    for (const auto& p : c.kb->all_provides()) {
      auto s = kb::parse_soname_capability(p.capability, p.kind);
      if (s && !s->version_node.empty()) versioned.insert(s->soname);
    }
  }

  // Symbol-level checks run where the pack holds export lists (analyze/elf_exports.cpp).
  const bool kb_exports = c.kb && !c.kb->exports().libraries().empty();
  ExportGaps gaps;
  std::size_t checked = 0, verified = 0;
  std::vector<std::string> verified_paths;
  ExportNames export_names;
  auto find_library = [&](const facts::ElfObject& from, const std::string& needed) {
    const facts::ElfObject* lib = nullptr;
    std::vector<std::string> search;
    const std::string origin = dir_of(from.path);
    for (const auto* list : {&from.rpath, &from.runpath})
      for (const auto& d : *list) search.push_back(expand_origin(d, origin));
    search.push_back(origin);
    search.insert(search.end(), system_dirs.begin(), system_dirs.end());
    for (const auto& d : search) {
      auto it = lib_by_path.find(d == "/" ? "/" + needed : d + "/" + needed);
      if (it != lib_by_path.end()) {
        lib = it->second;
        break;
      }
    }
    return lib;
  };

  for (const auto* e : staying) {
    const bool foreign = !same_machine(e->machine, c.arch);
    if (e->elf_class == 32 || (foreign && e->machine == "i386")) {
      Hit h{
          "elf_32bit", e->machine, {{"machine", e->machine}}, {{e->path, "32-bit " + e->type}}, {}};
      c.hits.push_back(std::move(h));
      // An i386 object on x86_64 runs only with 32-bit libraries (the hit above says so).
      if (e->machine == "i386" && c.arch == core::to_string(core::Arch::kX8664)) continue;
    }
    if (foreign && e->elf_class != 32) {
      Hit h{"elf_foreign_machine",
            e->machine + " objects",  // the subject; the arch they cannot run on is the column
            {{"machine", e->machine}, {"arch", c.arch}},
            {{e->path, e->machine + " " + e->type}},
            {}};
      c.hits.push_back(std::move(h));
      continue;  // it must be rebuilt; its linkage on this arch is moot
    }
    if (e->is_static) {
      c.hits.push_back({"elf_static", "statically linked objects", {}, {{e->path, e->type}}, {}});
    }
    if (!e->toolchain.go_version.empty() || !e->toolchain.go_buildid.empty()) {
      const auto v =
          e->toolchain.go_version.empty() ? "Go (version unknown)" : e->toolchain.go_version;
      c.hits.push_back({"elf_go", v, {{"go_version", v}}, {{e->path, v}}, {}});
    }
    if (foreign) continue;
    if (kb_exports && !e->needed.empty()) {
      ++checked;
      if (check_object_exports(c, *e, find_library, gaps).verified) {
        ++verified;
        verified_paths.push_back(e->path);
      }
    }
    const bool bits64 = e->elf_class == 64;
    for (const auto& needed : e->needed) {
      // 1. Bundled (RPATH/RUNPATH, the object's own directory), then 2. a staying library in
      // the linker's default or configured directories.
      const facts::ElfObject* lib = find_library(*e, needed);
      if (lib) {
        // Undefined symbols bound to this library must be among its exports, when the reader
        // has all of them (elf.symbols_capped / elf.symbols_unread: absence proves nothing).
        if (lib->symbols_capped) continue;
        const facts::Interned needed_id(needed);
        for (const auto& s : e->undefined) {
          if (s.weak || s.library != needed_id || export_names.contains(*lib, s.name)) continue;
          const std::string name = s.name.str();
          c.hits.push_back({"elf_missing_symbol",
                            needed + ": " + name,
                            {{"soname", needed}, {"symbol", name}, {"library", lib->path}},
                            {{e->path, "needs " + name + " from " + lib->path}},
                            {}});
        }
        continue;
      }
      if (!kb_sonames) continue;  // reported once below as a check that did not run
      used_kb = true;
      // The target ships a library with an export list: elf_exports.cpp judges it.
      if (kb_exports && c.kb->exports().library(needed)) continue;
      if (c.kb->soname_providers(needed, {}, bits64).empty()) {
        c.hits.push_back(
            {"elf_missing_soname",
             needed,
             {{"soname", needed},
              {"coverage", prov.status == kb::CoverageStatus::kComplete ? "complete" : "partial"},
              {"coverage_reason", prov.reason}},
             {{e->path, "DT_NEEDED " + needed}},
             {}});
        continue;
      }
      for (const auto& vn : e->verneed) {
        if (vn.file != needed) continue;
        for (const auto& v : vn.versions) {
          if (!c.kb->soname_providers(needed, v, bits64).empty()) continue;
          // Without any versioned row for this soname the KB cannot answer for version nodes.
          if (!versioned.count(needed)) {
            version_gap = true;
            continue;
          }
          c.hits.push_back(
              {"elf_missing_version",
               needed + "(" + v + ")",
               {{"soname", needed},
                {"version", v},
                {"coverage",
                 prov.status == kb::CoverageStatus::kComplete ? "complete" : "partial"}},
               {{e->path, "needs version " + v + " of " + needed}},
               {}});
        }
      }
    }
  }
  if (!kb_sonames && c.kb) {
    c.skip(Check::kElfLinkage,
           "the KB has no soname provides for this target and architecture: " + prov.reason);
  }
  if (kb_exports) {
    report_export_gaps(c, gaps, checked, verified, verified_paths);
  } else if (used_kb) {
    c.skip(Check::kElfSymbols,
           "the KB holds no export lists of target libraries; sonames and version nodes were "
           "checked instead",
           false);
    if (version_gap)
      c.skip(Check::kElfVersionNodes,
             "the KB's soname provides carry no version nodes (" + prov.reason +
                 "); required version nodes were not checked",
             false);
  }
}

}  // namespace premigrate::analyze
