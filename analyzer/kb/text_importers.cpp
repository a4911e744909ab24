// Line-oriented importers: dnf list output, kABI lists, kernel branch table, OpenSSH keyword
// table, installed-file lists and the ld.so.cache soname map.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "kb/importers.hpp"
#include "kb/pack_format.hpp"

namespace premigrate::kb::importers {

namespace {

// Iterates the lines of a text file with 1-based line numbers; fail() names file and line.
class Lines {
 public:
  explicit Lines(const std::filesystem::path& file)
      : name_(file.string()), text_(read_text_file(file)) {}
  bool next(std::string& line) {
    if (pos_ >= text_.size()) return false;
    auto nl = text_.find('\n', pos_);
    if (nl == std::string::npos) nl = text_.size();
    line.assign(text_, pos_, nl - pos_);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos_ = nl + 1;
    ++number_;
    return true;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw core::RunError(name_ + ":" + std::to_string(number_) + ": " + what);
  }
  [[nodiscard]] std::size_t number() const { return number_; }

 private:
  std::string name_, text_;
  std::size_t pos_ = 0, number_ = 0;
};

std::vector<std::string> split_ws(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<std::string> split_tab(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto t = s.find('\t', start);
    out.push_back(s.substr(start, t == std::string::npos ? std::string::npos : t - start));
    if (t == std::string::npos) break;
    start = t + 1;
  }
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

bool has_prefix(const std::vector<std::string>& prefixes, const std::string& path) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& p) { return path.rfind(p, 0) == 0; });
}

// Column index of `name` in a TSV header line, or fail.
std::size_t column(const Lines& lines, const std::vector<std::string>& header,
                   const std::string& name) {
  auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) lines.fail("missing column '" + name + "' in the header");
  return static_cast<std::size_t>(it - header.begin());
}

}  // namespace

std::vector<BinaryPackage> import_dnf_list(const std::filesystem::path& file,
                                           const DnfListOptions& o, std::uint64_t& records) {
  Lines lines(file);
  std::vector<BinaryPackage> out;
  std::string line, pending;  // dnf wraps a long name.arch onto a line of its own
  bool in_section = false;
  while (lines.next(line)) {
    auto f = split_ws(line);
    if (f.empty()) continue;
    if (line == "Installed Packages" || line == "Available Packages" ||
        line == "Upgraded Packages" || line == "Extra Packages") {
      in_section = true;
      continue;
    }
    if (!in_section) lines.fail("package row before any 'Installed/Available Packages' heading");
    if (f.size() == 1 && pending.empty()) {
      pending = f[0];
      continue;
    }
    if (!pending.empty()) {
      if (f.size() != 2)
        lines.fail("expected 'version repo' after the wrapped name '" + pending + "'");
      f.insert(f.begin(), pending);
      pending.clear();
    }
    if (f.size() != 3)
      lines.fail("expected 'name.arch version repo', got " + std::to_string(f.size()) + " fields");
    const auto dot = f[0].rfind('.');
    if (dot == std::string::npos || dot == 0) lines.fail("no '.arch' in '" + f[0] + "'");
    ++records;
    BinaryPackage p;
    p.name = f[0].substr(0, dot);
    p.arch = f[0].substr(dot + 1);
    p.evr = f[1];
    p.repo = f[2].front() == '@' ? f[2].substr(1) : f[2];
    if (p.repo == "System") p.repo.clear();  // installed, origin repo not recorded
    p.repo = core::ascii_lower(p.repo);
    if (p.arch == "src" || p.arch == "nosrc") continue;
    if (std::find(o.skip_repos.begin(), o.skip_repos.end(), p.repo) != o.skip_repos.end()) continue;
    if (std::any_of(o.skip_suffixes.begin(), o.skip_suffixes.end(),
                    [&](const std::string& s) { return p.name.ends_with(s); }))
      continue;
    out.push_back(std::move(p));
  }
  if (!pending.empty()) lines.fail("file ends after the wrapped name '" + pending + "'");
  // One row per name/arch/evr; an installed row without a repo yields to a row that has one.
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.name, x.arch, x.evr, y.repo) < std::tie(y.name, y.arch, y.evr, x.repo);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& x, const auto& y) {
                          return x.name == y.name && x.arch == y.arch && x.evr == y.evr;
                        }),
            out.end());
  return out;
}

std::vector<KabiSymbol> import_kabi(const std::optional<std::filesystem::path>& whitelist,
                                    const std::optional<std::filesystem::path>& module_kabi,
                                    std::uint64_t& records) {
  std::set<std::string> listed;
  std::string line;
  if (whitelist) {
    Lines lines(*whitelist);
    while (lines.next(line)) {
      auto t = trim(line);
      if (t.empty() || t.front() == '#') continue;
      if (t.front() == '[') {
        if (t.back() != ']') lines.fail("unterminated section header");
        continue;
      }
      if (t.find_first_of(" \t") != std::string::npos) lines.fail("expected one symbol per line");
      listed.insert(t);
      ++records;
    }
  }
  std::map<std::string, KabiSymbol> rows;
  if (module_kabi) {
    Lines lines(*module_kabi);
    while (lines.next(line)) {
      if (trim(line).empty()) continue;
      auto f = split_tab(line);
      while (!f.empty() && f.back().empty()) f.pop_back();
      if (f.size() < 4) lines.fail("expected CRC<TAB>symbol<TAB>module<TAB>export type");
      if (!f[0].starts_with("0x")) lines.fail("CRC '" + f[0] + "' is not 0x-hex");
      ++records;
      rows[f[1]] = {f[1], f[0], f[2], f[3], !whitelist || listed.count(f[1]) > 0, 0};
    }
  }
  for (const auto& s : listed)
    if (!rows.count(s)) rows[s] = {s, "", "", "", true, 0};
  std::vector<KabiSymbol> out;
  out.reserve(rows.size());
  for (auto& [k, v] : rows) out.push_back(std::move(v));
  return out;
}

KernelInfo import_kernel_branch(const std::filesystem::path& file, const std::string& branch) {
  Lines lines(file);
  std::string line;
  while (lines.next(line)) {
    auto f = split_ws(line);
    if (f.empty() || f[0] != branch) continue;
    std::map<std::string, std::string> kv;
    for (std::size_t i = 2; i < f.size(); ++i) {
      auto eq = f[i].find('=');
      if (eq == std::string::npos) lines.fail("expected key=value, got '" + f[i] + "'");
      kv[f[i].substr(0, eq)] = f[i].substr(eq + 1);
    }
    KernelInfo k;
    k.dataset = 0;
    if (kv.count("upstream_version") && kv.count("upstream_sublevel")) {
      k.version = kv["upstream_version"] + "." + kv["upstream_sublevel"];
      // kernel.spec: Release = devel_release + maintenance_release + pkg_release
      if (kv.count("devel_release"))
        k.release_at_snapshot =
            k.version + "-" + kv["devel_release"] + kv["maintenance_release"] + kv["pkg_release"];
    }
    return k;
  }
  throw core::RunError(file.string() + ": no line for branch '" + branch + "'");
}

std::vector<std::pair<std::string, std::string>> import_openssh_keywords(
    const std::filesystem::path& file, const std::string& version) {
  Lines lines(file);
  std::string line;
  if (!lines.next(line)) lines.fail("empty file");
  const auto header = split_tab(line);
  std::size_t col = 0;
  for (std::size_t i = 1; i < header.size(); ++i)
    if (header[i] == version || header[i].rfind(version + " ", 0) == 0) col = i;
  if (col == 0) lines.fail("no column for OpenSSH " + version);
  std::vector<std::pair<std::string, std::string>> out;
  while (lines.next(line)) {
    if (line.empty()) continue;
    auto f = split_tab(line);
    if (f.size() != header.size())
      lines.fail("expected " + std::to_string(header.size()) + " columns, got " +
                 std::to_string(f.size()));
    std::string kw = f[0];
    kw = core::ascii_lower(kw);
    out.emplace_back(kw, f[col]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<ShippedFile> import_file_list(const std::filesystem::path& file,
                                          const std::vector<std::string>& prefixes,
                                          std::uint64_t& records) {
  Lines lines(file);
  std::string line;
  if (!lines.next(line)) lines.fail("empty file");
  const auto header = split_tab(line);
  const auto c_pkg = column(lines, header, "package_nvra");
  const auto c_path = column(lines, header, "path");
  std::vector<ShippedFile> out;
  while (lines.next(line)) {
    if (line.empty()) continue;
    auto f = split_tab(line);
    if (f.size() <= std::max(c_pkg, c_path)) lines.fail("too few columns");
    ++records;
    if (!has_prefix(prefixes, f[c_path])) continue;
    auto name = name_from_nvr(f[c_pkg], true);
    if (name.empty()) lines.fail("'" + f[c_pkg] + "' is not an N-V-R.A");
    out.push_back({f[c_path], name, 0});
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.path, x.package) < std::tie(y.path, y.package);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& x, const auto& y) {
                          return x.path == y.path && x.package == y.package;
                        }),
            out.end());
  return out;
}

std::vector<Provide> import_soname_map(const std::filesystem::path& file, std::uint64_t& records) {
  Lines lines(file);
  std::string line;
  if (!lines.next(line)) lines.fail("empty file");
  const auto header = split_tab(line);
  const auto c_so = column(lines, header, "soname");
  const auto c_flags = column(lines, header, "cache_flags");
  const auto c_pkg = column(lines, header, "package_nvra");
  std::vector<Provide> out;
  while (lines.next(line)) {
    if (line.empty()) continue;
    auto f = split_tab(line);
    if (f.size() <= std::max({c_so, c_flags, c_pkg})) lines.fail("too few columns");
    ++records;
    if (f[c_pkg].empty()) continue;  // the soname's file was not matched to a package
    auto name = name_from_nvr(f[c_pkg], true);
    if (name.empty()) lines.fail("'" + f[c_pkg] + "' is not an N-V-R.A");
    // ldconfig flags: "libc6,x86-64" / "libc6,AArch64" are 64-bit; plain "libc6" is 32-bit.
    const bool b64 = f[c_flags].find("64") != std::string::npos;
    out.push_back({f[c_so], b64 ? "ldcache-64" : "ldcache-32", name, 0});
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.capability, x.package) < std::tie(y.capability, y.package);
  });
  return out;
}

namespace {

// Cells of a Markdown table row ("| a | b |"), trimmed; "\\|" inside a cell is a literal bar.
std::vector<std::string> markdown_cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  const auto t = trim(line);
  for (std::size_t i = 1; i < t.size(); ++i) {  // t[0] is the leading bar
    if (t[i] == '\\' && i + 1 < t.size() && t[i + 1] == '|') {
      cur += '|';
      ++i;
    } else if (t[i] == '|') {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += t[i];
    }
  }
  if (!trim(cur).empty()) out.push_back(trim(cur));  // a row without the closing bar
  return out;
}

// The version a cell names, or "" when it names none.
std::string version_of_cell(std::string v) {
  if (auto from = v.find("from "); from != std::string::npos) {
    const auto to = v.find(" to ", from);
    v = to == std::string::npos ? std::string() : trim(v.substr(to + 4));
  }
  if (auto arrow = v.rfind("->"); arrow != std::string::npos) v = trim(v.substr(arrow + 2));
  if (v.size() > 1 && v[0] == 'v' && std::isdigit(static_cast<unsigned char>(v[1]))) v.erase(0, 1);
  if (v.empty() || !std::isalnum(static_cast<unsigned char>(v[0]))) return "";
  for (char c : v)
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string("._+~^-").find(c) == std::string::npos)
      return "";
  return v;
}

}  // namespace

std::vector<SourceVersion> import_version_table(const std::filesystem::path& file,
                                                const VersionTableOptions& options,
                                                std::uint64_t& records) {
  Lines lines(file);
  std::string line;
  std::size_t c_name = 0, c_version = 0;
  bool in_table = false, found = false;
  std::map<std::string, std::string> versions;
  while (lines.next(line)) {
    const auto t = trim(line);
    if (t.empty() || t[0] != '|') {
      if (found && in_table) break;  // the end of the table
      continue;
    }
    auto cells = markdown_cells(t);
    if (!found) {
      auto n = std::find(cells.begin(), cells.end(), options.name_column);
      auto v = std::find(cells.begin(), cells.end(), options.version_column);
      if (n == cells.end() || v == cells.end()) continue;
      c_name = static_cast<std::size_t>(n - cells.begin());
      c_version = static_cast<std::size_t>(v - cells.begin());
      found = in_table = true;
      if (!lines.next(line) || trim(line).find("---") == std::string::npos)
        lines.fail("expected the table's separator row after its header");
      continue;
    }
    if (cells.size() <= std::max(c_name, c_version))
      lines.fail("expected at least " + std::to_string(std::max(c_name, c_version) + 1) +
                 " cells, found " + std::to_string(cells.size()));
    ++records;
    const auto& name = cells[c_name];
    if (name.empty() || name.find_first_of(" \t/") != std::string::npos)
      lines.fail("'" + core::printable_text(name) + "' is not a package name");
    auto version = version_of_cell(cells[c_version]);
    if (version.empty()) continue;
    if (auto [it, fresh] = versions.emplace(name, version); !fresh && it->second != version)
      lines.fail("package " + name + " is listed twice with different versions (" + it->second +
                 ", " + version + ")");
  }
  if (!found)
    throw core::RunError(file.string() + ": no table with the columns '" + options.name_column +
                         "' and '" + options.version_column + "'");
  std::vector<SourceVersion> out;
  out.reserve(versions.size());
  for (auto& [n, v] : versions) out.push_back({n, v, 0});
  return out;
}

}  // namespace premigrate::kb::importers
