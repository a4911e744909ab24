// Module sections: .modinfo "key=value\0" strings, __versions records (struct modversion_info
// in the module's own class and byte order), undefined symbols from .symtab.
#include "collect/kmod/module_sections.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "collect/elf/elf_session.hpp"

namespace premigrate::collect::kmod::detail {
namespace {

namespace e = premigrate::collect::elf;

constexpr std::size_t kMaxModinfoEntries = 4096;
constexpr std::size_t kMaxSymbols = 1u << 20;
// include/linux/module.h: struct modversion_info { unsigned long crc; char name[64 -
// sizeof(unsigned long)]; } is 64 bytes in either class.
constexpr std::size_t kModversionSize = 64;

std::string_view raw_section(Elf* elf, const char* name, const std::string& path,
                             core::Diagnostics& diags, bool* found = nullptr) {
  GElf_Shdr shdr;
  Elf_Scn* scn = e::find_section(elf, name, &shdr);
  if (found != nullptr) *found = scn != nullptr;
  if (scn == nullptr || shdr.sh_type == SHT_NOBITS) return {};
  Elf_Data* data = elf_rawdata(scn, nullptr);
  if (data == nullptr || data->d_buf == nullptr) {
    if (shdr.sh_size != 0) {
      diags.warn("kmod.bad_section", path, "section data unreadable: " + e::last_error(),
                 std::string("section ") + name);
    }
    return {};
  }
  return {static_cast<const char*>(data->d_buf), data->d_size};
}

void read_modinfo(std::string_view info, facts::KernelModule& out) {
  std::size_t seen = 0;
  while (!info.empty() && seen++ < kMaxModinfoEntries) {
    const std::size_t nul = info.find('\0');
    const std::string_view entry = info.substr(0, nul);
    info = nul == std::string_view::npos ? std::string_view() : info.substr(nul + 1);
    const std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = entry.substr(0, eq);
    const std::string_view value = entry.substr(eq + 1);
    if (key == "name" && out.name.empty())
      out.name = value;
    else if (key == "vermagic" && out.vermagic.empty())
      out.vermagic = value;
    else if (key == "license")  // a module may carry several (MODULE_LICENSE per object file)
      out.license.emplace_back(value);
    else if (key == "srcversion" && out.srcversion.empty())
      out.srcversion = value;
    else if (key == "retpoline")
      out.retpoline = value == "Y";
    else if (key == "intree")
      out.intree = value == "Y";
    else if (key == "depends") {
      std::size_t start = 0;
      while (start <= value.size()) {
        std::size_t comma = value.find(',', start);
        if (comma == std::string_view::npos) comma = value.size();
        if (comma > start) out.depends.emplace_back(value.substr(start, comma - start));
        start = comma + 1;
      }
    }
  }
  // modinfo strips the trailing space the kernel build leaves on vermagic.
  while (!out.vermagic.empty() && out.vermagic.back() == ' ') out.vermagic.pop_back();
}

void read_versions(std::string_view v, const GElf_Ehdr& ehdr, const std::string& path,
                   core::Diagnostics& diags, facts::KernelModule& out) {
  if (v.size() % kModversionSize != 0) {
    diags.warn("kmod.bad_versions", path,
               "size " + std::to_string(v.size()) + " is not a multiple of 64",
               "section __versions");
  }
  const std::size_t crc_size = ehdr.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
  const bool msb = ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
  for (std::size_t at = 0; at + kModversionSize <= v.size(); at += kModversionSize) {
    const auto* rec = reinterpret_cast<const unsigned char*>(v.data() + at);
    std::uint64_t crc = 0;
    for (std::size_t i = 0; i < crc_size; ++i) crc = (crc << 8) | rec[msb ? i : crc_size - 1 - i];
    auto name = e::bounded_string(v.data() + at + crc_size, kModversionSize - crc_size);
    if (!name) {
      diags.warn("kmod.bad_versions", path, "symbol name is not NUL-terminated",
                 "section __versions, offset " + e::hex(at));
      continue;
    }
    if (!name->empty()) out.versions.push_back({std::string(*name), crc});
  }
  std::sort(out.versions.begin(), out.versions.end(),
            [](const auto& a, const auto& b) { return a.symbol < b.symbol; });
}

void read_undefined(Elf* elf, facts::KernelModule& out) {
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != SHT_SYMTAB) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    const std::size_t symsize = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
    if (data == nullptr || symsize == 0) return;
    const std::size_t count = std::min(data->d_size / symsize, kMaxSymbols);
    for (std::size_t i = 1; i < count; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) break;
      if (sym.st_shndx != SHN_UNDEF) continue;
      std::string_view name = e::string_at(elf, shdr.sh_link, sym.st_name);
      if (!name.empty()) out.undefined.emplace_back(name);
    }
    break;
  }
  std::sort(out.undefined.begin(), out.undefined.end());
  out.undefined.erase(std::unique(out.undefined.begin(), out.undefined.end()), out.undefined.end());
}

}  // namespace

bool read_module_sections(Elf* elf, const std::string& path, core::Diagnostics& diags,
                          facts::KernelModule& out) {
  GElf_Ehdr ehdr;
  if (elf == nullptr || elf_kind(elf) != ELF_K_ELF || gelf_getehdr(elf, &ehdr) == nullptr) {
    diags.warn("kmod.bad_elf", path, "not a readable ELF object: " + e::last_error());
    return false;
  }
  out.machine = e::machine_name(ehdr.e_machine, ehdr.e_ident[EI_CLASS], ehdr.e_ident[EI_DATA]);
  std::size_t shstrndx = 0;
  if (!e::section_table_fits(elf, ehdr)) {
    diags.warn("kmod.bad_elf", path, "section header table lies past the end of the file",
               "offset " + e::hex(ehdr.e_shoff));
    return false;
  }
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) {
    diags.warn("kmod.bad_elf", path, "section headers unreadable: " + e::last_error(),
               "offset " + e::hex(ehdr.e_shoff));
    return false;
  }
  if (ehdr.e_type != ET_REL) {
    diags.warn("kmod.not_relocatable", path,
               "a kernel module is ET_REL; this one is type " + std::to_string(ehdr.e_type));
  }
  bool this_module = false;
  (void)raw_section(elf, ".gnu.linkonce.this_module", path, diags, &this_module);
  if (!this_module) {
    diags.warn("kmod.no_this_module", path,
               "no .gnu.linkonce.this_module section: the kernel would refuse to load it",
               "section .gnu.linkonce.this_module");
  }
  read_modinfo(raw_section(elf, ".modinfo", path, diags), out);
  read_versions(raw_section(elf, "__versions", path, diags), ehdr, path, diags, out);
  read_undefined(elf, out);
  return true;
}

SignatureCheck check_signature(const unsigned char* tail, std::size_t tail_size,
                               std::size_t module_size) {
  static constexpr char kMagic[] = "~Module signature appended~\n";
  static constexpr std::size_t kMagicSize = sizeof kMagic - 1;
  SignatureCheck c;
  if (tail_size < kMagicSize || module_size < kMagicSize) return c;
  c.present = std::memcmp(tail + tail_size - kMagicSize, kMagic, kMagicSize) == 0;
  if (!c.present || tail_size < kSignatureTrailer || module_size < kSignatureTrailer) return c;
  const unsigned char* sig_len = tail + tail_size - kMagicSize - 4;
  const std::uint64_t len = (std::uint64_t{sig_len[0]} << 24) | (std::uint64_t{sig_len[1]} << 16) |
                            (std::uint64_t{sig_len[2]} << 8) | std::uint64_t{sig_len[3]};
  c.consistent = len <= module_size - kSignatureTrailer;
  return c;
}

}  // namespace premigrate::collect::kmod::detail
