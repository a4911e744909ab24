// The string case of json_text: a fast path for plain ASCII, nlohmann's serializer otherwise.
#include "facts/json_text.hpp"

#include <nlohmann/json.hpp>

namespace premigrate::facts::json_text {

void append_string(std::string& out, std::string_view s) {
  bool plain = true;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += '"';
    out += s;
    out += '"';
    return;
  }
  out +=
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace premigrate::facts::json_text
