// ELF objects that no target package will replace (unpackaged, or owned by a third-party
// package): machine and class against the target architecture, static and Go binaries, and
// every DT_NEEDED soname and required version node resolved against bundled libraries
// (RPATH/RUNPATH with $ORIGIN, the same directory), the libraries that remain in the linker's
// directories (trusted ones and ld.so.conf), and the KB.
#include <algorithm>
#include <atomic>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analyze/analyze.hpp"
#include "analyze/context.hpp"
#include "analyze/elf_exports.hpp"
#include "core/arch.hpp"
#include "core/parallel_jobs.hpp"
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

// The staying library the dynamic linker would load for `needed` when `from` asks for it
// (ld.so(8)): RPATH/RUNPATH with $ORIGIN, the object's own directory, then the linker's
// trusted directories (analysis profile) and those /etc/ld.so.conf adds (read by the collect
// stage, its includes followed); null when no staying library is there.
class LibrarySearch {
 public:
  LibrarySearch(const facts::Inventory& inv, const Profile& profile,
                const std::vector<const facts::ElfObject*>& staying)
      : system_dirs_(profile.library_dirs) {
    system_dirs_.insert(system_dirs_.end(), inv.host.ld_so_conf_dirs.begin(),
                        inv.host.ld_so_conf_dirs.end());
    for (const auto* e : staying) {
      if (e->type == "dyn") lib_by_path_.emplace(e->path, e);
    }
  }

  // Called for every NEEDED of every staying object, several times a scan: the candidate paths
  // are built in one per-thread buffer.
  [[nodiscard]] const facts::ElfObject* find(const facts::ElfObject& from,
                                             const std::string& needed) const {
    thread_local std::string key;
    const auto at = [&](std::string_view dir) -> const facts::ElfObject* {
      key.assign(dir);
      if (key != "/") key += '/';
      key += needed;
      auto it = lib_by_path_.find(key);
      return it == lib_by_path_.end() ? nullptr : it->second;
    };
    const std::string origin = dir_of(from.path);
    for (const auto* list : {&from.rpath, &from.runpath})
      for (const auto& d : *list)
        if (const auto* lib = at(expand_origin(d, origin))) return lib;
    if (const auto* lib = at(origin)) return lib;
    for (const auto& d : system_dirs_)
      if (const auto* lib = at(d)) return lib;
    return nullptr;
  }

 private:
  std::unordered_map<std::string, const facts::ElfObject*> lib_by_path_;
  std::vector<std::string> system_dirs_;
};

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

std::unordered_set<const facts::ElfObject*> loaded_libraries(
    const facts::Inventory& inv, const Profile& profile,
    const std::function<bool(const facts::ElfObject&)>& stays) {
  std::vector<const facts::ElfObject*> staying;
  for (const auto& e : inv.elf_objects)
    if (stays(e)) staying.push_back(&e);
  const LibrarySearch libraries(inv, profile, staying);
  // Every staying object's NEEDED, libraries' included: that is the link map of each, however
  // deep (check_object_exports walks it from the same objects).
  std::unordered_set<const facts::ElfObject*> loaded;
  for (const auto* e : staying)
    for (const auto& needed : e->needed)
      if (const auto* lib = libraries.find(*e, needed)) loaded.insert(lib);
  return loaded;
}

void check_elf_linkage(const ArchContext& c) {
  const auto remains = elf_object_stays(c.inv, c.profile, c.source);
  std::vector<const facts::ElfObject*> staying;
  for (const auto& e : c.inv.elf_objects)
    if (remains(e)) staying.push_back(&e);
  if (staying.empty()) return;

  const LibrarySearch libraries(c.inv, c.profile, staying);
  const auto prov = c.coverage("provides");
  const bool kb_sonames = c.kb && prov.status != kb::CoverageStatus::kUnknown;
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
  auto find_library = [&](const facts::ElfObject& from, const std::string& needed) {
    return libraries.find(from, needed);
  };

  // What one thread keeps: its caches, and counts that are sums whatever the order.
  struct Worker {
    ExportGaps gaps;
    ExportNames export_names;
    std::size_t checked = 0, verified = 0;
    bool used_kb = false, version_gap = false;
  };
  // One object's machine, linkage and symbol checks; its hits go to wc.hits.
  const auto judge = [&](const ArchContext& wc, const facts::ElfObject* e, Worker& w,
                         std::vector<std::string>& verified_paths) {
    const bool foreign = !same_machine(e->machine, wc.arch);
    if (e->elf_class == 32 || (foreign && e->machine == "i386")) {
      Hit h{
          "elf_32bit", e->machine, {{"machine", e->machine}}, {{e->path, "32-bit " + e->type}}, {}};
      wc.hits.push_back(std::move(h));
      // An i386 object on x86_64 runs only with 32-bit libraries (the hit above says so).
      if (e->machine == "i386" && wc.arch == core::to_string(core::Arch::kX8664)) return;
    }
    if (foreign && e->elf_class != 32) {
      Hit h{"elf_foreign_machine",
            e->machine + " objects",  // the subject; the arch they cannot run on is the column
            {{"machine", e->machine}, {"arch", wc.arch}},
            {{e->path, e->machine + " " + e->type}},
            {}};
      wc.hits.push_back(std::move(h));
      return;  // it must be rebuilt; its linkage on this arch is moot
    }
    if (e->is_static) {
      wc.hits.push_back({"elf_static", "statically linked objects", {}, {{e->path, e->type}}, {}});
    }
    if (!e->toolchain.go_version.empty() || !e->toolchain.go_buildid.empty()) {
      const auto v =
          e->toolchain.go_version.empty() ? "Go (version unknown)" : e->toolchain.go_version;
      wc.hits.push_back({"elf_go", v, {{"go_version", v}}, {{e->path, v}}, {}});
    }
    if (foreign) return;
    if (kb_exports && !e->needed.empty()) {
      ++w.checked;
      if (check_object_exports(wc, *e, find_library, w.gaps).verified) {
        ++w.verified;
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
        // has all of them (elf.symbols_capped / elf.symbols_unread, or exports not read:
        // absence proves nothing).
        if (lib->symbols_capped || lib->exports_pending) continue;
        const facts::Interned needed_id(needed);
        for (const auto& s : e->undefined) {
          if (s.weak || s.library != needed_id || w.export_names.contains(*lib, s.name)) continue;
          const std::string name = s.name.str();
          wc.hits.push_back({"elf_missing_symbol",
                             needed + ": " + name,
                             {{"soname", needed}, {"symbol", name}, {"library", lib->path}},
                             {{e->path, "needs " + name + " from " + lib->path}},
                             {}});
        }
        continue;
      }
      if (!kb_sonames) continue;  // reported once below as a check that did not run
      w.used_kb = true;
      // The target ships a library with an export list: elf_exports.cpp judges it.
      if (kb_exports && wc.kb->exports().library(needed)) continue;
      if (wc.kb->soname_providers(needed, {}, bits64).empty()) {
        wc.hits.push_back(
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
          if (!wc.kb->soname_providers(needed, v, bits64).empty()) continue;
          // Without any versioned row for this soname the KB cannot answer for version nodes.
          if (!versioned.count(needed)) {
            w.version_gap = true;
            continue;
          }
          wc.hits.push_back(
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
  };

  // The objects are judged on two threads (on an ELF-dense root this loop is most of an
  // architecture's analysis), a run of kChunk objects at a time. Each run has its own hits and
  // proven paths, joined in object order below: the same bytes as one thread's loop.
  struct Chunk {
    std::vector<Hit> hits;
    std::vector<report::CheckNotRun> not_run;
    std::vector<std::string> verified_paths;
  };
  constexpr std::size_t kChunk = 32;
  std::vector<Chunk> chunks((staying.size() + kChunk - 1) / kChunk);
  std::vector<Worker> workers(2);
  std::atomic<std::size_t> next_chunk{0};
  core::run_parallel_jobs(workers.size(), 2, [&](std::size_t t) {
    for (auto i = next_chunk.fetch_add(1); i < chunks.size(); i = next_chunk.fetch_add(1)) {
      auto& chunk = chunks[i];
      const ArchContext wc{c.inv,    c.profile, c.rules,    c.arch,        c.source,
                           c.target, c.kb,      chunk.hits, chunk.not_run, c.diags};
      const auto end = std::min(staying.size(), (i + 1) * kChunk);
      for (auto k = i * kChunk; k < end; ++k)
        judge(wc, staying[k], workers[t], chunk.verified_paths);
    }
  });
  ExportGaps gaps;
  std::size_t checked = 0, verified = 0;
  bool used_kb = false, version_gap = false;
  for (const auto& w : workers) {
    for (const auto& [so, n] : w.gaps.libraries) gaps.libraries[so] += n;
    for (const auto& [so, n] : w.gaps.incomplete) gaps.incomplete[so] += n;
    gaps.private_nodes += w.gaps.private_nodes;
    gaps.capped_objects += w.gaps.capped_objects;
    checked += w.checked;
    verified += w.verified;
    used_kb = used_kb || w.used_kb;
    version_gap = version_gap || w.version_gap;
  }
  workers.clear();
  std::vector<std::string> verified_paths;
  for (auto& chunk : chunks) {
    std::move(chunk.hits.begin(), chunk.hits.end(), std::back_inserter(c.hits));
    std::move(chunk.not_run.begin(), chunk.not_run.end(), std::back_inserter(c.not_run));
    std::move(chunk.verified_paths.begin(), chunk.verified_paths.end(),
              std::back_inserter(verified_paths));
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
