// Shell-style value parsing, tolerant of odd lines (they become diagnostics, never throws).
#include "collect/config/text_parse.hpp"

#include <cctype>

#include "core/text.hpp"

namespace premigrate::collect::config {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view line = text.substr(i, j - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    i = j + 1;
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_var_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool ok = std::isalpha(c) || c == '_' || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

namespace {

// Reads one shell word starting at s[i]; stops at unquoted whitespace. Sets `open` when a
// quote was left unterminated.
std::string read_word(std::string_view s, std::size_t& i, bool& open) {
  std::string out;
  while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) {
    const char c = s[i];
    if (c == '\'') {
      const std::size_t end = s.find('\'', i + 1);
      if (end == std::string_view::npos) {
        out.append(s.substr(i + 1));
        i = s.size();
        open = true;
        break;
      }
      out.append(s.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        const char d = s[i];
        if (d == '"') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\\' && i + 1 < s.size() &&
            (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$' || s[i + 1] == '`')) {
          out += s[i + 1];
          i += 2;
          continue;
        }
        out += d;
        ++i;
      }
      if (!closed) open = true;
    } else if (c == '\\' && i + 1 < s.size()) {
      out += s[i + 1];
      i += 2;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> split_words(std::string_view line, bool* ok) {
  std::vector<std::string> words;
  bool open = false;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i >= line.size()) break;
    words.push_back(read_word(line, i, open));
  }
  if (ok != nullptr) *ok = !open;
  return words;
}

std::map<std::string, std::string> parse_shell_assignments(std::string_view text,
                                                           const std::string& path,
                                                           core::Diagnostics& diags,
                                                           const std::string& code) {
  std::map<std::string, std::string> vars;
  const auto lines = split_lines(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    std::string_view line = trim(lines[n]);
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 7) == "export ") line = trim(line.substr(7));
    const std::size_t eq = line.find('=');
    const std::string where = "line " + std::to_string(n + 1);
    if (eq == std::string_view::npos || !is_var_name(line.substr(0, eq))) {
      diags.warn(code, path, "not a KEY=value assignment; line ignored", where);
      continue;
    }
    std::string_view rest = line.substr(eq + 1);
    std::size_t i = 0;
    bool open = false;
    std::string value = read_word(rest, i, open);
    if (open) {
      diags.warn(code, path, "unterminated quote; value taken to the end of the line", where);
    } else if (!trim(rest.substr(i)).empty() && trim(rest.substr(i)).front() != '#') {
      diags.warn(code, path, "unquoted whitespace in value; text after it ignored", where);
    }
    vars[std::string(line.substr(0, eq))] = core::printable_text(value);
  }
  return vars;
}

std::string command_program(std::string_view command) {
  bool ok = true;
  for (auto& w : split_words(command, &ok)) {
    const std::size_t eq = w.find('=');
    if (eq != std::string::npos && is_var_name(std::string_view(w).substr(0, eq))) continue;
    return w;
  }
  return {};
}

}  // namespace premigrate::collect::config
