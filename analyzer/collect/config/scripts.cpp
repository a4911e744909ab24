// Shebang parsing (execve(2) "Interpreter scripts"; env(1) for the -S split string).
#include "collect/config/scripts.hpp"

#include <sys/stat.h>

#include "collect/config/text_parse.hpp"

namespace premigrate::collect::config {

namespace {

std::string_view basename_of(std::string_view p) {
  const auto slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

}  // namespace

std::optional<Shebang> parse_shebang(std::string_view header) {
  if (header.substr(0, 2) != "#!") return std::nullopt;
  std::string_view line = header.substr(2);
  const auto nl = line.find('\n');
  if (nl != std::string_view::npos) line = line.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) words.emplace_back(line.substr(i, j - i));
    i = j;
  }
  if (words.empty()) return std::nullopt;
  Shebang s;
  s.interpreter = words[0];
  std::size_t k = 1;
  if (basename_of(s.interpreter) == "env") {
    std::vector<std::string> rest(words.begin() + 1, words.end());
    std::size_t r = 0;
    while (r < rest.size()) {
      const std::string& w = rest[r];
      if (w == "-S" || w == "--split-string" || w.rfind("-S", 0) == 0 ||
          w.rfind("--split-string=", 0) == 0) {
        // The remaining text is one string env splits itself, quotes included.
        std::string joined = w.rfind("--split-string=", 0) == 0 ? w.substr(15)
                             : (w.size() > 2 && w[1] == 'S')    ? w.substr(2)
                                                                : std::string();
        for (std::size_t m = r + 1; m < rest.size(); ++m) {
          if (!joined.empty()) joined += ' ';
          joined += rest[m];
        }
        auto split = split_words(joined);
        rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(r), rest.end());
        rest.insert(rest.end(), split.begin(), split.end());
        continue;
      }
      if (w == "-u" || w == "--unset" || w == "-C" || w == "--chdir") {
        r += 2;
        continue;
      }
      if (!w.empty() && w[0] == '-') {
        ++r;
        continue;
      }
      const auto eq = w.find('=');
      if (eq != std::string::npos && is_var_name(std::string_view(w).substr(0, eq))) {
        ++r;
        continue;
      }
      break;
    }
    if (r < rest.size()) {
      s.program = rest[r];
      s.args.assign(rest.begin() + static_cast<std::ptrdiff_t>(r) + 1, rest.end());
    }
    return s;  // a bare "#!/usr/bin/env" keeps an empty program: nothing would run
  }
  s.program = s.interpreter;
  s.args.assign(words.begin() + static_cast<std::ptrdiff_t>(k), words.end());
  return s;
}

bool is_script_candidate(std::string_view root_path, mode_t mode) {
  if ((mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0) return true;
  std::size_t i = 0;
  while (i < root_path.size()) {
    std::size_t j = root_path.find('/', i);
    if (j == std::string_view::npos) break;  // the last component is the file name itself
    const std::string_view dir = root_path.substr(i, j - i);
    if (dir == "bin" || dir == "sbin" || dir == "libexec" || dir == "init.d" ||
        dir.find("cron") != std::string_view::npos) {
      return true;
    }
    i = j + 1;
  }
  return false;
}

}  // namespace premigrate::collect::config
