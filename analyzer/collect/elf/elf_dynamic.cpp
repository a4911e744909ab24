// The dynamic-linking view of an ELF object: .dynamic, symbol versioning (.gnu.version_r,
// .gnu.version_d, .gnu.version) and .dynsym. Every loop is bounded by its section's size.
#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <vector>

#include "collect/elf/elf_parts.hpp"
#include "collect/elf/elf_session.hpp"

namespace premigrate::collect::elf::detail {
namespace {

// The first section of type `type`, with its header and data; nullptr when absent or when
// libelf rejects its data (bounds are checked against the file by libelf).
Elf_Data* section_of_type(const ReadContext& ctx, Elf64_Word type, GElf_Shdr* shdr,
                          Elf_Scn** scn_out = nullptr) {
  for (Elf_Scn* scn = elf_nextscn(ctx.elf, nullptr); scn != nullptr;
       scn = elf_nextscn(ctx.elf, scn)) {
    if (gelf_getshdr(scn, shdr) == nullptr || shdr->sh_type != type) continue;
    if (scn_out != nullptr) *scn_out = scn;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr) {
      ctx.warn("elf.bad_section", "section data unreadable: " + last_error(),
               "section index " + std::to_string(elf_ndxscn(scn)));
    }
    return data;
  }
  return nullptr;
}

std::string where_section(const ReadContext& ctx, const GElf_Shdr& shdr) {
  std::size_t shstrndx = 0;
  if (elf_getshdrstrndx(ctx.elf, &shstrndx) == 0) {
    if (auto n = section_name(ctx.elf, shstrndx, shdr); n && !n->empty()) {
      return "section " + std::string(*n);
    }
  }
  return "section at offset " + hex(shdr.sh_offset);
}

// gelf_get{verneed,vernaux,verdef,verdaux} take an int offset: keep chained offsets inside
// the section (and int) before converting, so a hostile chain cannot wrap around.
bool in_section(const Elf_Data* data, std::size_t off) {
  return off < data->d_size && off <= static_cast<std::size_t>(std::numeric_limits<int>::max());
}

// ld.so: DT_RPATH / DT_RUNPATH are colon-separated; $ORIGIN stays symbolic here.
std::vector<std::string> split_path_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t colon = s.find(':', start);
    out.emplace_back(s.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return out;
}

}  // namespace

DynamicInfo read_dynamic(const ReadContext& ctx, facts::ElfObject& obj) {
  DynamicInfo info;
  GElf_Shdr shdr;
  Elf_Data* data = section_of_type(ctx, SHT_DYNAMIC, &shdr);
  if (data == nullptr) return info;
  info.present = true;
  const std::size_t entsize = gelf_fsize(ctx.elf, ELF_T_DYN, 1, EV_CURRENT);
  if (entsize == 0) return info;
  const std::size_t count = data->d_size / entsize;
  // gABI: DT_NEEDED, DT_SONAME, DT_RPATH and DT_RUNPATH are offsets into DT_STRTAB, which
  // is the section named by the dynamic section's sh_link.
  const std::size_t strndx = shdr.sh_link;
  // An offset outside the string table is reported and the entry dropped.
  auto str = [&](const GElf_Dyn& dyn, const char* tag) -> std::optional<std::string> {
    const char* s = elf_strptr(ctx.elf, strndx, dyn.d_un.d_val);
    if (s == nullptr) {
      ctx.warn("elf.bad_string",
               std::string(tag) + " offset " + hex(dyn.d_un.d_val) + " is not in the string table",
               where_section(ctx, shdr));
      return std::nullopt;
    }
    return std::string(s);
  };
  for (std::size_t i = 0; i < count; ++i) {
    GElf_Dyn dyn;
    if (gelf_getdyn(data, static_cast<int>(i), &dyn) == nullptr) break;
    switch (dyn.d_tag) {
      case DT_NULL:
        i = count;
        break;
      case DT_NEEDED:
        if (auto s = str(dyn, "DT_NEEDED")) obj.needed.push_back(std::move(*s));
        break;
      case DT_SONAME:
        if (auto s = str(dyn, "DT_SONAME")) obj.soname = std::move(*s);
        break;
      case DT_RPATH:
        if (auto s = str(dyn, "DT_RPATH")) {
          auto v = split_path_list(*s);
          obj.rpath.insert(obj.rpath.end(), v.begin(), v.end());
        }
        break;
      case DT_RUNPATH:
        if (auto s = str(dyn, "DT_RUNPATH")) {
          auto v = split_path_list(*s);
          obj.runpath.insert(obj.runpath.end(), v.begin(), v.end());
        }
        break;
      case DT_FLAGS_1:
        info.flag_pie = (dyn.d_un.d_val & DF_1_PIE) != 0;
        break;
      default:
        break;
    }
  }
  return info;
}

void read_versions(const ReadContext& ctx, facts::ElfObject& obj, VersionMap& needed,
                   VersionMap& defined) {
  GElf_Shdr shdr;
  // .gnu.version_r: a chain of Verneed records, each with vn_cnt Vernaux records; vn_next and
  // vna_next are byte offsets relative to the current record, 0 ending the chain.
  if (Elf_Data* data = section_of_type(ctx, SHT_GNU_verneed, &shdr); data != nullptr) {
    std::size_t budget = data->d_size / sizeof(Elf32_Vernaux) + 1;  // smallest record: 16 bytes
    std::size_t off = 0;
    std::size_t bad_at = 0;
    bool ok = true;
    while (budget-- > 0) {
      GElf_Verneed vn;
      if (!in_section(data, off) || gelf_getverneed(data, static_cast<int>(off), &vn) == nullptr) {
        ok = false;
        bad_at = off;
        break;
      }
      facts::VersionNeed need;
      need.file = std::string(string_at(ctx.elf, shdr.sh_link, vn.vn_file));
      std::size_t aux = off + vn.vn_aux;
      for (unsigned j = 0; j < vn.vn_cnt && budget > 0; ++j, --budget) {
        GElf_Vernaux vna;
        if (!in_section(data, aux) ||
            gelf_getvernaux(data, static_cast<int>(aux), &vna) == nullptr) {
          ok = false;
          bad_at = aux;
          break;
        }
        std::string name(string_at(ctx.elf, shdr.sh_link, vna.vna_name));
        need.versions.push_back(name);
        needed[vna.vna_other & 0x7fff] = VersionRef{facts::Interned(name), need.file};
        if (vna.vna_next == 0) break;
        aux += vna.vna_next;
      }
      obj.verneed.push_back(std::move(need));
      if (!ok || vn.vn_next == 0) break;
      off += vn.vn_next;
    }
    if (!ok) {
      ctx.warn("elf.bad_verneed", "version needs chain leaves the section at " + hex(bad_at),
               where_section(ctx, shdr));
    }
  }
  // .gnu.version_d: Verdef records; the VER_FLG_BASE entry names the file itself, not a node.
  if (Elf_Data* data = section_of_type(ctx, SHT_GNU_verdef, &shdr); data != nullptr) {
    std::size_t budget = data->d_size / sizeof(Elf32_Verdaux) + 1;
    std::size_t off = 0;
    while (budget-- > 0) {
      GElf_Verdef vd;
      if (!in_section(data, off) || gelf_getverdef(data, static_cast<int>(off), &vd) == nullptr) {
        ctx.warn("elf.bad_verdef", "version definition chain leaves the section at " + hex(off),
                 where_section(ctx, shdr));
        break;
      }
      GElf_Verdaux vda;
      std::string name;
      if (vd.vd_cnt > 0 && in_section(data, off + vd.vd_aux) &&
          gelf_getverdaux(data, static_cast<int>(off + vd.vd_aux), &vda)) {
        name = std::string(string_at(ctx.elf, shdr.sh_link, vda.vda_name));
      }
      if ((vd.vd_flags & VER_FLG_BASE) == 0 && !name.empty()) {
        obj.verdef.push_back(name);
        defined[vd.vd_ndx & 0x7fff] = VersionRef{facts::Interned(name), {}};
      }
      if (vd.vd_next == 0) break;
      off += vd.vd_next;
    }
  }
}

namespace {

// Sorts `v` by (name, version, library, weak) text and drops duplicates; names[i] is v[i]'s
// name. Names decide nearly every comparison, so they are compared as the views read from the
// file; only equal names compare the interned version and library.
void sort_symbols(std::vector<facts::ElfSymbol>& v, const std::vector<std::string_view>& names) {
  std::vector<std::uint32_t> order(v.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (const int c = names[a].compare(names[b]); c != 0) return c < 0;
    return std::tie(v[a].version, v[a].library, v[a].weak) <
           std::tie(v[b].version, v[b].library, v[b].weak);
  });
  std::vector<facts::ElfSymbol> sorted;
  sorted.reserve(v.size());
  for (const std::uint32_t i : order)
    if (sorted.empty() || !(sorted.back() == v[i])) sorted.push_back(v[i]);
  sorted.shrink_to_fit();  // kept until the report is written: no growth slack
  v.swap(sorted);
}

}  // namespace

void read_dynamic_symbols(const ReadContext& ctx, facts::ElfObject& obj, const VersionMap& needed,
                          const VersionMap& defined, bool undefined, bool exports) {
  if (!undefined && !exports) return;
  GElf_Shdr shdr;
  Elf_Data* syms = section_of_type(ctx, SHT_DYNSYM, &shdr);
  if (syms == nullptr) return;
  const std::size_t symsize = gelf_fsize(ctx.elf, ELF_T_SYM, 1, EV_CURRENT);
  if (symsize == 0) return;
  // Never more than the section holds, and at most kMaxDynamicSymbols: a 132 MB object with 4
  // million symbols would otherwise cost gigabytes (the names are interned for the whole scan).
  // 262,144 is over five times the largest real library seen (libLLVM-15: 46,328).
  constexpr std::size_t kMaxDynamicSymbols = std::size_t{1} << 18;
  std::size_t count = syms->d_size / symsize;
  if (count > kMaxDynamicSymbols) {
    ctx.warn("elf.symbols_capped",
             std::to_string(count) + " dynamic symbols; only the first " +
                 std::to_string(kMaxDynamicSymbols) +
                 " were read, so its symbol-level checks do not run",
             "section .dynsym");
    obj.symbols_capped = true;
    count = kMaxDynamicSymbols;
  }
  const std::size_t strndx = shdr.sh_link;

  GElf_Shdr vshdr;
  Elf_Data* versym = section_of_type(ctx, SHT_GNU_versym, &vshdr);
  std::size_t vcount = versym != nullptr ? versym->d_size / sizeof(GElf_Versym) : 0;
  if (versym != nullptr && vcount != syms->d_size / symsize) {
    ctx.warn("elf.bad_versym",
             ".gnu.version has " + std::to_string(vcount) + " entries for " +
                 std::to_string(syms->d_size / symsize) + " dynamic symbols",
             "section .gnu.version");
  }
  std::set<std::string_view> version_names;
  for (const auto& [ndx, ref] : defined) version_names.insert(ref.name.view());
  // Each symbol's name as read (a view into .dynstr), beside it: sorting compares these
  // directly instead of looking each Interned's text up in the pool on every comparison.
  // Per thread, reused from object to object.
  thread_local std::vector<std::string_view> undefined_names, exported_names;
  undefined_names.clear();
  exported_names.clear();
  for (const auto& s : obj.undefined) undefined_names.push_back(s.name.view());
  for (const auto& s : obj.exported) exported_names.push_back(s.name.view());

  for (std::size_t i = 1; i < count; ++i) {
    GElf_Sym sym;
    if (gelf_getsym(syms, static_cast<int>(i), &sym) == nullptr) break;
    std::string_view name = string_at(ctx.elf, strndx, sym.st_name);
    if (name.empty()) continue;
    const unsigned bind = GELF_ST_BIND(sym.st_info);
    const unsigned type = GELF_ST_TYPE(sym.st_info);
    if (bind == STB_LOCAL || type == STT_SECTION || type == STT_FILE) continue;
    GElf_Versym vs = 1;  // VER_NDX_GLOBAL when unversioned
    if (i < vcount) (void)gelf_getversym(versym, static_cast<int>(i), &vs);
    const std::uint32_t ndx = static_cast<std::uint32_t>(vs) & 0x7fff;

    facts::ElfSymbol out;
    out.weak = bind == STB_WEAK;
    if (sym.st_shndx == SHN_UNDEF) {
      if (!undefined) continue;
      out.name = facts::Interned(name);
      if (ndx >= 2) {
        if (auto it = needed.find(ndx); it != needed.end()) {
          out.version = it->second.name;
          out.library = it->second.file;
        } else if (auto d = defined.find(ndx); d != defined.end()) {
          out.version = d->second.name;
        }
      }
      obj.undefined.push_back(out);
      undefined_names.push_back(name);
      continue;
    }
    if (!exports) continue;
    const unsigned vis = GELF_ST_VISIBILITY(sym.st_other);
    if (vis == STV_HIDDEN || vis == STV_INTERNAL) continue;
    if (ndx == 0) continue;  // VER_NDX_LOCAL: not visible outside the object
    if (auto d = defined.find(ndx); d != defined.end()) out.version = d->second.name;
    // GNU ld emits one absolute symbol per version node, named after it: not an interface.
    if (sym.st_shndx == SHN_ABS && sym.st_value == 0 && version_names.count(name) != 0) {
      continue;
    }
    out.name = facts::Interned(name);
    obj.exported.push_back(out);
    exported_names.push_back(name);
  }
  if (undefined) sort_symbols(obj.undefined, undefined_names);
  if (exports) sort_symbols(obj.exported, exported_names);
}

}  // namespace premigrate::collect::elf::detail
