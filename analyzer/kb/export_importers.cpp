// Parsers of the upstream export-list formats of ../shared/kb-sources/exports (PROVENANCE-3.md
// "How to use"): each yields the version nodes a library defines and its (version, symbol) pairs.
#include "kb/export_importers.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "kb/importers.hpp"

namespace premigrate::kb::importers {

namespace {

struct Collector {
  std::set<std::string> nodes;
  std::set<std::pair<std::string, std::string>> symbols;
  bool versioned_exact = true, unversioned_exact = true;
  std::uint64_t records = 0;
  void add(const std::string& version, const std::string& name) {
    if (!version.empty()) nodes.insert(version);
    symbols.emplace(version, name);
    ++records;
  }
};

[[noreturn]] void bad(const std::string& where, std::size_t line, const std::string& what) {
  throw core::RunError(where + ":" + std::to_string(line) + ": " + what);
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool is_glob(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

// glibc *.abilist. New format (2.26+): "VERSION SYMBOL TYPE [size]". Old format (2.17): a
// node line "GLIBC_2.2.5", then indented " SYMBOL TYPE [size]" lines, " GLIBC_2.2.5 A" naming
// the node itself.
void glibc_abilist(const std::string& text, const std::string& where, Collector& c) {
  std::istringstream in(text);
  std::string line, node;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    const auto w = words(line);
    if (w.empty()) continue;
    const bool indented = line[0] == ' ' || line[0] == '\t';
    if (indented) {
      if (node.empty()) bad(where, n, "symbol before any version node");
      if (w.size() < 2) bad(where, n, "expected 'SYMBOL TYPE'");
      if (w[1] == "A" && w[0] == node)
        c.nodes.insert(node);
      else
        c.add(node, w[0]);
    } else if (w.size() == 1) {
      node = w[0];
      c.nodes.insert(node);
    } else if (w.size() >= 3) {
      if (w[2] == "A" && w[0] == w[1])
        c.nodes.insert(w[0]);
      else
        c.add(w[0], w[1]);
    } else {
      bad(where, n, "expected 'VERSION SYMBOL TYPE' or a version node");
    }
  }
}

// OpenSSL util/*.num: "SYMBOL ORDINAL [VERSION] EXIST|NOEXIST::KIND:FEATURES". NOEXIST rows
// are retired ordinals and skipped. 1.1.x nodes are OPENSSL_<version>; 3.x turns '_' into '.'.
// 1.0.2 files have no VERSION column: upstream 1.0.2 defined no symbol versions.
void openssl_num(const std::string& text, const std::string& where, Collector& c) {
  std::istringstream in(text);
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    const auto w = words(line);
    if (w.empty()) continue;
    if (w.size() < 3) bad(where, n, "expected 'SYMBOL ORDINAL [VERSION] EXIST|NOEXIST::...'");
    const std::string& status = w.size() >= 4 ? w[3] : w[2];
    if (status.rfind("NOEXIST", 0) == 0) continue;
    if (status.rfind("EXIST", 0) != 0) bad(where, n, "no EXIST/NOEXIST column");
    std::string version;
    if (w.size() >= 4) {
      std::string v = w[2];
      if (v.empty() || v[0] < '0' || v[0] > '9') bad(where, n, "bad version '" + v + "'");
      if (std::stoi(v.substr(0, v.find('_'))) >= 3) std::replace(v.begin(), v.end(), '_', '.');
      version = "OPENSSL_" + v;
    }
    c.add(version, w[0]);
  }
}

// libstdc++ baseline_symbols.txt: "FUNC:name@@VER", "OBJECT:size:name@VER", "TLS:size:name@@VER";
// "OBJECT:0:VER" declares a node.
void libstdcxx_baseline(const std::string& text, const std::string& where, Collector& c) {
  std::istringstream in(text);
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    const auto colon = line.rfind(':');
    if (colon == std::string::npos) bad(where, n, "expected 'TYPE:...:symbol@VERSION'");
    const auto sym = line.substr(colon + 1);
    const auto at = sym.find('@');
    if (at == std::string::npos) {
      c.nodes.insert(sym);
      continue;
    }
    const auto ver = sym.substr(sym.find_first_not_of('@', at));
    if (ver.empty() || at == 0) bad(where, n, "empty symbol or version");
    c.add(ver, sym.substr(0, at));
  }
}

// GNU ld version scripts ("NODE { global: a; b; local: *; } PARENT;") and libgcc's mkmap
// input (no semicolons, "%inherit", "%exclude { ... }", "%ifdef X" / "%ifndef X" / "%else" /
// "%endif", "__PFX__" and "__FIXPTPFX__" for the symbol prefix, "__" on GNU/Linux:
// LIBGCC_VER_GNU_PREFIX of libgcc/Makefile.in). '#' lines are comments or preprocessor
// directives: libffi's #if blocks are all kept (every block applies on x86_64 and aarch64 with
// closures), which can only over-state what the library exports.
void version_script(const std::string& text, const std::string& where,
                    const std::vector<std::string>& defines, Collector& c) {
  std::string clean;  // without /* */ comments, '#' lines and inactive % sections
  std::vector<bool> active{true};
  std::istringstream in(text);
  std::string line;
  bool in_comment = false;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (in_comment) {
        if (line.compare(i, 2, "*/") == 0) in_comment = false, ++i;
      } else if (line.compare(i, 2, "/*") == 0) {
        in_comment = true, ++i;
      } else {
        out += line[i];
      }
    }
    const auto w = words(out);
    if (w.empty()) continue;
    if (w[0][0] == '#') continue;
    if (w[0] == "%ifdef" || w[0] == "%ifndef") {
      if (w.size() < 2) bad(where, n, w[0] + " without a name");
      const bool def = std::find(defines.begin(), defines.end(), w[1]) != defines.end();
      active.push_back(active.back() && (w[0] == "%ifdef" ? def : !def));
      continue;
    }
    if (w[0] == "%else") {
      if (active.size() < 2) bad(where, n, "%else without %ifdef");
      const bool cur = active.back();
      active.pop_back();
      active.push_back(active.back() && !cur);
      continue;
    }
    if (w[0] == "%endif") {
      if (active.size() < 2) bad(where, n, "%endif without %ifdef");
      active.pop_back();
      continue;
    }
    if (!active.back()) continue;
    if (w[0] == "%inherit") continue;
    clean += out + "\n";
  }
  // Tokens: words and the punctuation { } ;
  std::vector<std::string> tok;
  std::string cur;
  for (char ch : clean) {
    if (ch == '{' || ch == '}' || ch == ';' || std::isspace(static_cast<unsigned char>(ch))) {
      if (!cur.empty()) tok.push_back(cur), cur.clear();
      if (!std::isspace(static_cast<unsigned char>(ch))) tok.emplace_back(1, ch);
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) tok.push_back(cur);
  std::string node;
  bool in_node = false, global = true, excluding = false, local_all = false;
  // libgcc's mkmap-symver.awk writes "local: *" into the map it generates.
  const bool mkmap = text.find("\n%") != std::string::npos || text.rfind('%', 0) == 0;
  for (std::size_t i = 0; i < tok.size(); ++i) {
    const auto& t = tok[i];
    if (!in_node) {
      if (t == ";" || t == "}") continue;
      if (i + 1 < tok.size() && tok[i + 1] == "{") {
        excluding = t == "%exclude";
        node = excluding ? "" : t;
        if (!excluding) c.nodes.insert(node);
        in_node = true, global = true, ++i;
      }
      continue;  // a parent name after '}' or another directive word
    }
    if (t == "}") {
      in_node = false;
      continue;
    }
    if (t == ";") continue;
    if (t == "global:" || t == "local:") {
      global = t == "global:";
      continue;
    }
    if (t == "extern" || t == "{")
      bad(where, 0, "nested blocks (extern \"C++\") are not supported");
    if (!global) {
      if (t == "*") local_all = true;
      continue;
    }
    std::string sym = t;
    for (const std::string pfx : {"__PFX__", "__FIXPTPFX__"})
      if (auto p = sym.find(pfx); p != std::string::npos) sym.replace(p, pfx.size(), "__");
    if (excluding) {
      // mkmap: an excluded name leaves the nodes that listed it so far (libgcc-std.ver);
      // blocks after the %exclude may list it again under another node.
      for (auto it = c.symbols.begin(); it != c.symbols.end();)
        it = it->second == sym ? c.symbols.erase(it) : std::next(it);
    } else if (is_glob(sym)) {
      c.versioned_exact = c.unversioned_exact = false;
    } else {
      c.add(node, sym);
    }
  }
  if (in_node) bad(where, n, "unterminated version node '" + node + "'");
  if (!local_all && !mkmap) c.unversioned_exact = false;
}

// "GLIBC_2.2.5" -> {2, 2, 5}; for ordering glibc compat nodes.
std::vector<int> glibc_key(const std::string& node) {
  std::vector<int> k;
  std::istringstream in(node.substr(node.find('_') + 1));
  for (std::string part; std::getline(in, part, '.');) k.push_back(std::atoi(part.c_str()));
  return k;
}

// libxcrypt libcrypt.map.in: "symbol DEFAULT_NODE [COMPAT_NODE[:os...]]..." ('-': compat
// only). Compat nodes with OS qualifiers apply to those systems only; GLIBC nodes older than the
// architecture's oldest (libcrypt.minver) are raised to it, as the build does.
void xcrypt_map(const std::string& text, const std::string& where, const std::string& minver,
                Collector& c) {
  if (minver.empty()) bad(where, 0, "libxcrypt-map needs the glibc_minver option");
  std::istringstream in(text);
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    const auto w = words(line);
    if (w.empty() || w[0][0] == '#' || w[0][0] == '%') continue;
    if (w.size() < 2) bad(where, n, "expected 'symbol NODE [COMPAT...]'");
    if (w[1] != "-") c.add(w[1], w[0]);
    for (std::size_t i = 2; i < w.size(); ++i) {
      if (w[i].find(':') != std::string::npos) continue;
      std::string v = w[i];
      if (v.rfind("GLIBC_", 0) == 0 && glibc_key(v) < glibc_key(minver)) v = minver;
      c.add(v, w[0]);
    }
  }
}

// krb5 *.exports: one symbol per line; the build wraps them into "<libbase>_<major>_MIT"
// (src/config/lib.in), e.g. libkrb5.so.3 -> krb5_3_MIT.
void krb5_exports(const std::string& text, const std::string& soname, const std::string& where,
                  Collector& c) {
  const auto so = soname.find(".so.");
  if (soname.rfind("lib", 0) != 0 || so == std::string::npos)
    bad(where, 0, "krb5-exports needs a soname like libkrb5.so.3, not '" + soname + "'");
  const auto major = soname.substr(so + 4, soname.find('.', so + 4) - (so + 4));
  const auto node = soname.substr(3, so - 3) + "_" + major + "_MIT";
  std::istringstream in(text);
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    const auto w = words(line);
    if (w.empty() || w[0][0] == '#') continue;
    if (w.size() != 1) bad(where, n, "expected one symbol per line");
    c.add(node, w[0]);
  }
}

}  // namespace

const std::vector<std::string>& export_list_formats() {
  static const std::vector<std::string> kFormats = {"glibc-abilist",      "openssl-num",
                                                    "libstdcxx-baseline", "version-script",
                                                    "libxcrypt-map",      "krb5-exports"};
  return kFormats;
}

ExportList import_export_list(const std::vector<std::filesystem::path>& files,
                              const std::string& soname, const ExportListOptions& o) {
  const auto& fm = export_list_formats();
  if (std::find(fm.begin(), fm.end(), o.format) == fm.end())
    throw core::RunError("unknown export list format '" + o.format + "'");
  Collector c;
  std::string joined, where;
  for (const auto& f : files) {
    joined += read_maybe_compressed(f) + "\n";
    where += (where.empty() ? "" : "+") + f.string();
  }
  if (o.format == "glibc-abilist")
    glibc_abilist(joined, where, c);
  else if (o.format == "openssl-num")
    openssl_num(joined, where, c);
  else if (o.format == "libstdcxx-baseline")
    libstdcxx_baseline(joined, where, c);
  else if (o.format == "version-script")
    version_script(joined, where, o.defines, c);
  else if (o.format == "libxcrypt-map")
    xcrypt_map(joined, where, o.glibc_minver, c);
  else
    krb5_exports(joined, soname, where, c);
  ExportList out;
  out.nodes.assign(c.nodes.begin(), c.nodes.end());
  out.symbols.assign(c.symbols.begin(), c.symbols.end());
  out.versioned_exact = c.versioned_exact;
  out.unversioned_exact = c.unversioned_exact;
  out.records = c.records;
  return out;
}

}  // namespace premigrate::kb::importers
