// rpm elfdeps: soname provides are "SONAME", "SONAME()" + "(64bit)" on 64-bit ELF, and one
// "SONAME(VERSION)" entry per version definition.
#include "kb/soname.hpp"

namespace premigrate::kb {

std::optional<SonameCapability> parse_soname_capability(std::string_view cap,
                                                        std::string_view kind) {
  if (kind == "ldcache-64" || kind == "ldcache-32") {
    if (cap.find(".so") == std::string_view::npos) return std::nullopt;
    return SonameCapability{std::string(cap), "", kind == "ldcache-64"};
  }
  const auto paren = cap.find('(');
  const auto name = cap.substr(0, paren);
  if (name.empty() || name.find(".so") == std::string_view::npos ||
      name.find('/') != std::string_view::npos || name.find(' ') != std::string_view::npos)
    return std::nullopt;
  SonameCapability out{std::string(name), "", false};
  if (paren == std::string_view::npos) return out;
  auto rest = cap.substr(paren);
  constexpr std::string_view k64 = "(64bit)";
  if (rest.size() >= k64.size() && rest.substr(rest.size() - k64.size()) == k64) {
    out.bits64 = true;
    rest.remove_suffix(k64.size());
  }
  if (rest.empty()) return out;
  if (rest.front() != '(' || rest.back() != ')') return std::nullopt;
  out.version_node = std::string(rest.substr(1, rest.size() - 2));
  if (out.version_node.find_first_of("()") != std::string::npos) return std::nullopt;
  return out;
}

}  // namespace premigrate::kb
