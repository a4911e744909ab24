// Compact JSON text appended to a string, byte-identical to nlohmann::json::dump(-1, ' ', false,
// error_handler_t::replace): the inventory writer's building blocks for the big lists, which
// would otherwise become a nlohmann::json tree (a std::map per symbol) per element first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "facts/interned.hpp"

namespace premigrate::facts::json_text {

// A JSON string. Printable ASCII without '"' and '\\' (nearly every name and path) is copied
// as it is; anything else goes through nlohmann's serializer, so escapes and the replacement
// of invalid UTF-8 are nlohmann's own.
void append_string(std::string& out, std::string_view s);
inline void append_string(std::string& out, const std::string& s) {
  append_string(out, std::string_view(s));
}
inline void append_string(std::string& out, Interned s) { append_string(out, s.view()); }

inline void append_bool(std::string& out, bool b) { out += b ? "true" : "false"; }

// `"key":`; keys are the writer's own literals, plain ASCII.
inline void append_key(std::string& out, std::string_view key, bool first = false) {
  if (!first) out += ',';
  out += '"';
  out += key;
  out += "\":";
}

template <typename T, typename Append>
void append_array(std::string& out, const std::vector<T>& v, Append append) {
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i != 0) out += ',';
    append(out, v[i]);
  }
  out += ']';
}

inline void append_strings(std::string& out, const std::vector<std::string>& v) {
  append_array(out, v, [](std::string& o, const std::string& s) { append_string(o, s); });
}

}  // namespace premigrate::facts::json_text
