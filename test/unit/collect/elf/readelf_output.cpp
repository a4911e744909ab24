// Parses `readelf -W --dyn-syms -d -V` (binutils) output: the NEEDED/SONAME lines of the
// dynamic section, the version needs section and the UND entries of '.dynsym'.
#include "readelf_output.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace premigrate::test {
namespace {

std::string bracketed(const std::string& line) {
  auto a = line.find('[');
  auto b = line.rfind(']');
  return a == std::string::npos || b == std::string::npos || b < a ? std::string()
                                                                   : line.substr(a + 1, b - a - 1);
}

std::string field_after(const std::string& line, const std::string& key) {
  auto at = line.find(key);
  if (at == std::string::npos) return {};
  std::istringstream in(line.substr(at + key.size()));
  std::string v;
  in >> v;
  return v;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

bool have_readelf() { return std::system("readelf --version >/dev/null 2>&1") == 0; }

std::optional<ReadelfFacts> run_readelf(const std::filesystem::path& file) {
  const std::string cmd = "readelf -W --dyn-syms -d -V " + shell_quote(file.string()) +
                          " 2>/dev/null";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string text;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) text.append(buf, n);
  ::pclose(pipe);

  ReadelfFacts f;
  enum class Part { kNone, kDynsym, kVerneed } part = Part::kNone;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Symbol table '.dynsym'", 0) == 0) { part = Part::kDynsym; continue; }
    if (line.rfind("Version needs section", 0) == 0) { part = Part::kVerneed; continue; }
    if (line.empty() || (line[0] != ' ')) { part = Part::kNone; }
    if (line.find("(NEEDED)") != std::string::npos) f.needed.push_back(bracketed(line));
    if (line.find("(SONAME)") != std::string::npos) f.soname = bracketed(line);
    if (part == Part::kVerneed) {
      if (line.find(" File: ") != std::string::npos) {
        f.verneed.push_back({field_after(line, " File: "), {}});
      } else if (line.find(" Name: ") != std::string::npos && !f.verneed.empty()) {
        f.verneed.back().versions.push_back(field_after(line, " Name: "));
      }
    }
    if (part == Part::kDynsym) {
      std::istringstream fields(line);
      std::vector<std::string> tok;
      for (std::string t; fields >> t;) tok.push_back(t);
      if (tok.size() < 8 || tok[0].back() != ':' || tok[0] == "Num:") continue;
      std::size_t i = 6;  // Ndx, unless readelf printed "[...]" st_other details first
      if (tok[i].front() == '[') {
        while (i < tok.size() && tok[i].back() != ']') ++i;
        ++i;
      }
      if (i + 1 >= tok.size() || tok[i] != "UND" || tok[4] == "LOCAL") continue;
      const std::string& name = tok[i + 1];
      auto at = name.find('@');
      std::string sym = name.substr(0, at);
      std::string ver;
      if (at != std::string::npos) ver = name.substr(name.find_first_not_of('@', at));
      if (!sym.empty()) f.undefined.insert({sym, ver});
    }
  }
  return f;
}

}  // namespace premigrate::test
