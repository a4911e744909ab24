// Symbol-level proof for an ELF object that stays: its version needs and undefined symbols
// against what the target's libraries export (KB export lists) and what bundled libraries
// export, modelling the dynamic linker (ld.so(8), gABI symbol versioning):
// - a version node is required of the file its version-need names (Elfxx_Verneed.vn_file);
// - a symbol may come from any object of the link map: the NEEDED closure, breadth first;
// - weak undefined symbols are not required;
// - an unversioned reference binds to the default definition, so any version of the name does;
// - a shared library's unversioned references may be satisfied by the program that loads it,
//   so only its versioned ones are judged.
#include "analyze/elf_exports.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_set>

namespace premigrate::analyze {

namespace {

// Nodes the upstream lists cannot show: internal ones (GLIBC_PRIVATE) and glibc's symbol-less
// ABI markers (GLIBC_ABI_DT_RELR, glibc 2.36+), which the abilists leave out because no symbol
// carries them. They are counted as not checked, never judged.
bool is_unlisted_node(const std::string& node) {
  return (node.size() > 8 && node.compare(node.size() - 8, 8, "_PRIVATE") == 0) ||
         node.rfind("GLIBC_ABI_", 0) == 0;
}

// One object of the link map: a staying ELF object of the root, or a target library.
struct Member {
  std::string soname;
  const facts::ElfObject* obj = nullptr;   // bundled / staying library
  const kb::ExportLibrary* lib = nullptr;  // the target's library with an export list
  bool on_target = false;  // the target ships the soname (KB provides), or the KB cannot tell
};

// (name, version) as one key; version 0 ("") stands for "any version of the name".
std::uint64_t export_key(facts::Interned name, facts::Interned version) {
  return (std::uint64_t{name.id()} << 32) | version.id();
}

bool member_exports(const kb::ExportIndex& x, const Member& m, const facts::ElfSymbol& sym,
                    ExportGaps& state) {
  if (m.obj) {
    auto [it, fresh] = state.bundled.try_emplace(m.obj);
    if (fresh) {
      for (const auto& s : m.obj->exported) {
        it->second.insert(export_key(s.name, {}));
        it->second.insert(export_key(s.name, s.version));
      }
    }
    return it->second.count(export_key(sym.name, sym.version)) > 0;
  }
  if (!m.lib) return false;
  return state.target_exports.get(m.lib, export_key(sym.name, sym.version), [&] {
    return x.exports_symbol(m.soname, sym.name.view(), sym.version.view());
  });
}

bool member_defines(const kb::ExportIndex& x, const Member& m, const std::string& node) {
  if (m.obj)
    return std::find(m.obj->verdef.begin(), m.obj->verdef.end(), node) != m.obj->verdef.end();
  return m.lib && x.defines_node(m.soname, node);
}

// Whether absence from the member's data is a fact: of a version node, of a symbol of a node,
// of any global symbol. A bundled library's own .dynsym is exact when the reader kept all of it
// (not symbols_capped) and read its exports (not exports_pending); its version definitions
// always are.
bool exports_exact(const facts::ElfObject& o) { return !o.symbols_capped && !o.exports_pending; }
bool nodes_known(const Member& m) { return m.obj || (m.lib && m.lib->nodes_complete); }
bool versioned_known(const Member& m) {
  return m.obj ? exports_exact(*m.obj) : m.lib && m.lib->versioned_complete;
}
bool all_known(const Member& m) {
  return m.obj ? exports_exact(*m.obj) : m.lib && m.lib->unversioned_complete;
}

std::string join(const std::set<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

ExportCheckResult check_object_exports(const ArchContext& c, const facts::ElfObject& e,
                                       const LibraryFinder& find, ExportGaps& gaps) {
  ExportCheckResult r;
  const auto& x = c.kb->exports();
  // The link map: e's NEEDED, then theirs (bundled libraries only: the KB does not list the
  // NEEDED of target libraries), breadth first, each soname once.
  std::vector<Member> map;
  std::unordered_set<std::string> seen;
  std::deque<std::pair<const facts::ElfObject*, std::string>> todo;
  for (const auto& n : e.needed) todo.emplace_back(&e, n);
  while (!todo.empty()) {
    auto [from, needed] = todo.front();
    todo.pop_front();
    if (!seen.insert(needed).second) continue;
    Member m;
    m.soname = needed;
    m.obj = find(*from, needed);
    if (!m.obj) {
      m.lib = x.library(needed);
      // Without provides data the KB cannot tell a missing soname from one it has no list of.
      m.on_target = m.lib || !c.kb->soname_providers(needed, {}, e.elf_class == 64).empty() ||
                    c.coverage("provides").status == kb::CoverageStatus::kUnknown;
    } else {
      for (const auto& n : m.obj->needed) todo.emplace_back(m.obj, n);
    }
    map.push_back(m);
  }
  auto member = [&](const std::string& soname) -> const Member* {
    for (const auto& m : map)
      if (m.soname == soname) return &m;
    return nullptr;
  };
  // Symbols past the reader's cap were never seen: a "missing" may still be found, but
  // nothing can be proven complete.
  bool unproven = e.symbols_capped;
  if (e.symbols_capped) ++gaps.capped_objects;
  std::set<std::string> missing, compat_packages;
  std::set<std::string> no_data, incomplete;
  auto need_data = [&](const Member& m) {
    if (m.obj || m.lib) return true;
    unproven = true;
    if (m.on_target) no_data.insert(m.soname);
    return false;
  };
  // Direct NEEDED that come from a compat package of the target (not installed by default).
  for (const auto& n : e.needed) {
    const auto* m = member(n);
    if (m && m->lib && m->lib->compat) compat_packages.insert(m->lib->package);
  }
  // 1. Version nodes, of the file each version-need names.
  for (const auto& vn : e.verneed) {
    const auto* m = member(vn.file);
    if (!m) {  // a verneed file that is not NEEDED: the linker never loads it
      unproven = true;
      continue;
    }
    for (const auto& v : vn.versions) {
      if (is_unlisted_node(v)) {
        ++gaps.private_nodes;
        unproven = true;
        continue;
      }
      if (!need_data(*m)) continue;
      if (member_defines(x, *m, v)) continue;
      if (nodes_known(*m)) {
        missing.insert(vn.file + " " + v + " (version node)");
      } else {
        unproven = true;
        incomplete.insert(m->soname);
      }
    }
  }
  // 2. Undefined symbols, from any object of the link map.
  const bool is_program = !e.interp.empty();
  for (const auto& s : e.undefined) {
    if (s.weak) continue;
    const std::string version = s.version.str();
    if (version.empty() && !is_program) continue;  // may come from the loading program
    if (is_unlisted_node(version)) {
      unproven = true;
      continue;
    }
    bool found = false, all_complete = true;
    for (const auto& m : map) {
      if (member_exports(x, m, s, gaps)) {
        found = true;
        break;
      }
      if (!all_known(m)) all_complete = false;
    }
    if (found) continue;
    const std::string lib = s.library.str();
    const auto* owner = lib.empty() ? nullptr : member(lib);
    // Versioned: judged by the library its version-need names; a node already reported
    // missing is not repeated per symbol. Unversioned: every object of the map must be known.
    if (owner && owner->obj) {
      unproven = true;  // a bundled library: PM-ELF-004 (elf_linkage.cpp) names the symbol
    } else if (owner) {
      if (!need_data(*owner)) continue;
      if (!member_defines(x, *owner, version)) {
        if (!nodes_known(*owner)) unproven = true, incomplete.insert(owner->soname);
        continue;
      }
      if (versioned_known(*owner)) {
        missing.insert(lib + " " + s.name.str() + "@" + version);
      } else {
        unproven = true;
        incomplete.insert(owner->soname);
      }
    } else if (all_complete && !map.empty()) {
      missing.insert(s.name.str() + " (unversioned, no object of the link map exports it)");
    } else {
      unproven = true;
      for (const auto& m : map)
        if (need_data(m) && !m.obj && !all_known(m)) incomplete.insert(m.soname);
    }
  }
  for (const auto& so : no_data) ++gaps.libraries[so];
  for (const auto& so : incomplete) ++gaps.incomplete[so];
  if (!missing.empty()) {
    // Libraries only a compat package ships are named too: the rebuild may not need them.
    std::string what = join(missing, "; ");
    if (!compat_packages.empty()) what += "; and libraries only in " + join(compat_packages, ", ");
    Hit h;
    h.kind = "elf_unresolved_imports";
    h.subject = e.path;
    h.attrs = {
        {"missing", what}, {"count_missing", std::to_string(missing.size())}, {"fix", "rebuild"}};
    h.evidence.push_back({e.path, "needs " + what});
    c.hits.push_back(std::move(h));
    r.missing = true;
  } else if (!compat_packages.empty()) {
    Hit h;
    h.kind = "elf_unresolved_imports";
    h.subject = e.path;
    h.attrs = {{"missing", "nothing once " + join(compat_packages, ", ") + " is installed"},
               {"count_missing", "0"},
               {"fix", "compat"},
               {"packages", join(compat_packages, ", ")}};
    h.evidence.push_back({e.path, "links only with " + join(compat_packages, ", ")});
    c.hits.push_back(std::move(h));
  } else if (!unproven) {
    r.verified = true;
  }
  return r;
}

void report_export_gaps(const ArchContext& c, const ExportGaps& gaps, std::size_t checked,
                        std::size_t verified, const std::vector<std::string>& verified_paths) {
  for (const auto& [soname, n] : gaps.libraries) {
    c.skip(Check::kElfLibraryExports,
           soname +
               ": the KB holds no export list of the target's library; the version nodes and "
               "symbols " +
               std::to_string(n) + " object(s) need from it were not checked",
           false);
  }
  for (const auto& [soname, n] : gaps.incomplete) {
    c.skip(Check::kElfLibraryExports,
           soname +
               ": the KB's export list of the target's library cannot prove a symbol absent "
               "(its version script leaves unlisted symbols global, or it is partial); " +
               std::to_string(n) +
               " object(s) have needs from it that were neither found nor refuted",
           false);
  }
  if (gaps.capped_objects > 0) {
    c.skip(Check::kElfLibraryExports,
           std::to_string(gaps.capped_objects) +
               " object(s) have more dynamic symbols than the reader keeps (elf.symbols_capped "
               "diagnostics name them): their symbols past the cap were not checked",
           false);
  }
  if (gaps.private_nodes > 0) {
    c.skip(Check::kElfLibraryExports,
           std::to_string(gaps.private_nodes) +
               " version need(s) of internal (*_PRIVATE) or marker (GLIBC_ABI_*) nodes: the "
               "upstream ABI lists cannot show them, so they were not checked",
           false);
  }
  if (checked == 0) return;
  Hit h;
  h.kind = "elf_link_verified";
  h.subject = "linkage";
  h.attrs = {{"checked", std::to_string(checked)}, {"verified", std::to_string(verified)}};
  for (const auto& p : verified_paths)
    h.evidence.push_back({p, "every version node and symbol found"});
  if (!verified_paths.empty()) c.hits.push_back(std::move(h));
}

}  // namespace premigrate::analyze
