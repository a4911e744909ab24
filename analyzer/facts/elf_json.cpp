// An ElfObject as one line of compact JSON, written directly: the same bytes as
// dump(-1) of its nlohmann::json form (keys in std::map order), without building that tree —
// on an ELF-dense root the tree (a std::map per symbol) was most of the inventory's time.
#include "facts/elf_json.hpp"

#include "facts/json_text.hpp"

namespace premigrate::facts {

namespace {

using json_text::append_array;
using json_text::append_bool;
using json_text::append_key;
using json_text::append_string;
using json_text::append_strings;

// Keys sorted: library, name, version, weak.
void append_symbol(std::string& out, const ElfSymbol& s) {
  out += '{';
  append_key(out, "library", true);
  append_string(out, s.library);
  append_key(out, "name");
  append_string(out, s.name);
  append_key(out, "version");
  append_string(out, s.version);
  append_key(out, "weak");
  append_bool(out, s.weak);
  out += '}';
}

void append_symbols(std::string& out, const std::vector<ElfSymbol>& v) {
  append_array(out, v, append_symbol);
}

// Keys sorted: file, versions.
void append_verneed(std::string& out, const VersionNeed& n) {
  out += '{';
  append_key(out, "file", true);
  append_string(out, n.file);
  append_key(out, "versions");
  append_strings(out, n.versions);
  out += '}';
}

// Keys sorted: comments, go_buildid, go_version.
void append_toolchain(std::string& out, const ElfToolchain& t) {
  out += '{';
  append_key(out, "comments", true);
  append_strings(out, t.comments);
  append_key(out, "go_buildid");
  append_string(out, t.go_buildid);
  append_key(out, "go_version");
  append_string(out, t.go_version);
  out += '}';
}

}  // namespace

void append_json(std::string& out, const ElfObject& o) {
  // The members of NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ElfObject, ...) in sorted key order; the
  // unit test compares every byte with nlohmann's dump.
  out += '{';
  append_key(out, "data", true);
  append_string(out, o.data);
  append_key(out, "elf_class");
  out += std::to_string(o.elf_class);
  append_key(out, "exported");
  append_symbols(out, o.exported);
  append_key(out, "interp");
  append_string(out, o.interp);
  append_key(out, "is_pie");
  append_bool(out, o.is_pie);
  append_key(out, "is_static");
  append_bool(out, o.is_static);
  append_key(out, "machine");
  append_string(out, o.machine);
  append_key(out, "needed");
  append_strings(out, o.needed);
  append_key(out, "osabi");
  append_string(out, o.osabi);
  append_key(out, "package");
  append_string(out, o.package);
  append_key(out, "path");
  append_string(out, o.path);
  append_key(out, "rpath");
  append_strings(out, o.rpath);
  append_key(out, "runpath");
  append_strings(out, o.runpath);
  append_key(out, "soname");
  append_string(out, o.soname);
  append_key(out, "stripped");
  append_bool(out, o.stripped);
  append_key(out, "symbols_capped");
  append_bool(out, o.symbols_capped);
  append_key(out, "toolchain");
  append_toolchain(out, o.toolchain);
  append_key(out, "type");
  append_string(out, o.type);
  append_key(out, "undefined");
  append_symbols(out, o.undefined);
  append_key(out, "verdef");
  append_strings(out, o.verdef);
  append_key(out, "verneed");
  append_array(out, o.verneed, append_verneed);
  out += '}';
}

}  // namespace premigrate::facts
