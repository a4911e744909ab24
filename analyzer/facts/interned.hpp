// Interned strings for facts that repeat across objects (symbol names, version nodes, library
// names): each distinct string is stored once per process and facts hold a 4-byte id.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace premigrate::facts {

// A handle to a string in the process-wide pool. Equal strings have equal ids, so == compares
// ids; < and <=> compare the text, so sorted output does not depend on interning order. The
// pool only grows (a scan's distinct names are a few MB); interning is thread-safe, and so is
// reading a handle that another thread made once it has been handed over.
class Interned {
 public:
  Interned() = default;          // ""
  Interned(std::string_view s);  // NOLINT(google-explicit-constructor): facts read like strings
  Interned(const std::string& s) : Interned(std::string_view(s)) {}  // NOLINT
  Interned(const char* s) : Interned(std::string_view(s)) {}         // NOLINT

  [[nodiscard]] std::string_view view() const;
  [[nodiscard]] std::string str() const { return std::string(view()); }
  [[nodiscard]] bool empty() const { return id_ == 0; }
  [[nodiscard]] std::uint32_t id() const { return id_; }

  friend bool operator==(Interned a, Interned b) { return a.id_ == b.id_; }
  friend std::strong_ordering operator<=>(Interned a, Interned b) {
    if (a.id_ == b.id_) return std::strong_ordering::equal;
    return a.view() <=> b.view();
  }

 private:
  std::uint32_t id_ = 0;
};

// How many distinct strings the pool holds, and their bytes (for tests and benchmarks).
struct InternStats {
  std::size_t strings = 0;
  std::size_t bytes = 0;
};
[[nodiscard]] InternStats intern_stats();

inline void to_json(nlohmann::json& j, const Interned& s) { j = s.str(); }
inline void from_json(const nlohmann::json& j, Interned& s) {
  s = Interned(j.get_ref<const std::string&>());
}

}  // namespace premigrate::facts

template <>
struct std::hash<premigrate::facts::Interned> {
  std::size_t operator()(premigrate::facts::Interned s) const noexcept { return s.id(); }
};
