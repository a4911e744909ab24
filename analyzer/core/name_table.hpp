// One to/from-string table for a closed set (an enum class): the names that options, messages
// and output use are written once, beside the enum's table, and parsed back through it.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace premigrate::core {

template <typename E, std::size_t N>
struct NameTable {
  std::array<std::pair<E, std::string_view>, N> rows;

  [[nodiscard]] constexpr std::string_view name(E e) const {
    for (const auto& [value, n] : rows)
      if (value == e) return n;
    return {};
  }
  [[nodiscard]] constexpr std::optional<E> parse(std::string_view s) const {
    for (const auto& [value, n] : rows)
      if (n == s) return value;
    return std::nullopt;
  }
  // Table order.
  [[nodiscard]] std::vector<E> values() const {
    std::vector<E> v;
    for (const auto& row : rows) v.push_back(row.first);
    return v;
  }
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> v;
    for (const auto& row : rows) v.emplace_back(row.second);
    return v;
  }
  // "a, b, c": for messages and --help.
  [[nodiscard]] std::string names_text() const {
    std::string s;
    for (const auto& row : rows) (s += s.empty() ? "" : ", ") += row.second;
    return s;
  }
};

}  // namespace premigrate::core
