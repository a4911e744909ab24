// JSON output: deterministic (nlohmann objects are std::map, so keys are sorted).
#include <string_view>
#include <utility>

#include "render/render.hpp"

namespace premigrate::render {

namespace {

// RFC 3629 well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF (the
// set nlohmann's serializer accepts).
bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i <= n; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += n + 1;
  }
  return true;
}

// The string as dump(..., replace) writes it: each invalid sequence becomes U+FFFD. Only
// called for the rare invalid string, so nlohmann's own serializer decides the bytes.
std::string replaced(const std::string& s) {
  return nlohmann::json::parse(
             nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
      .get<std::string>();
}

}  // namespace

std::string to_json_text(const nlohmann::json& doc) {
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void write_json_text(std::ostream& out, const nlohmann::json& doc) {
  // json::dump's own serializer, given a stream adapter instead of a string.
  nlohmann::detail::serializer<nlohmann::json> s(nlohmann::detail::output_adapter<char>(out), ' ',
                                                 nlohmann::json::error_handler_t::replace);
  s.dump(doc, true, false, 2);
  out << '\n';
}

void sanitize(nlohmann::json& doc) {
  switch (doc.type()) {
    case nlohmann::json::value_t::string: {
      auto& s = doc.get_ref<std::string&>();
      if (!valid_utf8(s)) s = replaced(s);
      break;
    }
    case nlohmann::json::value_t::array:
      for (auto& v : doc) sanitize(v);
      break;
    case nlohmann::json::value_t::object: {
      auto& obj = doc.get_ref<nlohmann::json::object_t&>();
      bool keys_ok = true;
      for (auto& [k, v] : obj) {
        sanitize(v);
        keys_ok = keys_ok && valid_utf8(k);
      }
      if (keys_ok) break;
      // Rebuilt in key order; keys that become equal keep the last value, as a parse would.
      nlohmann::json::object_t out;
      for (auto& [k, v] : obj) out[valid_utf8(k) ? k : replaced(k)] = std::move(v);
      obj = std::move(out);
      break;
    }
    default:
      break;
  }
}

bool is_sanitized(const nlohmann::json& doc) {
  switch (doc.type()) {
    case nlohmann::json::value_t::string:
      return valid_utf8(doc.get_ref<const std::string&>());
    case nlohmann::json::value_t::array:
      for (const auto& v : doc)
        if (!is_sanitized(v)) return false;
      return true;
    case nlohmann::json::value_t::object:
      for (const auto& [k, v] : doc.get_ref<const nlohmann::json::object_t&>())
        if (!valid_utf8(k) || !is_sanitized(v)) return false;
      return true;
    default:
      return true;
  }
}

nlohmann::json sanitized(const nlohmann::json& doc) {
  nlohmann::json copy = doc;
  sanitize(copy);
  return copy;
}

const nlohmann::json& sanitized(const nlohmann::json& doc, nlohmann::json& storage) {
  if (is_sanitized(doc)) return doc;
  storage = sanitized(doc);
  return storage;
}

}  // namespace premigrate::render
