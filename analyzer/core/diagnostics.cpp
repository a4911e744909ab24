// Deduplicating, bounded, thread-safe diagnostic sink.
#include "core/diagnostics.hpp"

#include <iterator>
#include <utility>

namespace premigrate::core {

std::string_view to_string(DiagLevel level) {
  switch (level) {
    case DiagLevel::kInfo:
      return "info";
    case DiagLevel::kWarning:
      return "warning";
    case DiagLevel::kError:
      return "error";
  }
  return "warning";
}

void Diagnostics::add(Diagnostic d) {
  std::lock_guard lock(mu_);
  auto it = items_.find(d);
  if (it != items_.end()) {
    // std::set elements are const; count is not part of the ordering key.
    const_cast<Diagnostic&>(*it).count += d.count;
    return;
  }
  auto& n = per_code_[d.code];
  if (n < kMaxPerCode) {
    ++n;
    items_.insert(std::move(d));
    return;
  }
  // Past the cap the entries kept are the smallest kMaxPerCode of the code by key, whatever
  // order threads added them in: the new one goes in and the largest of its code goes out.
  const std::string code = d.code;
  items_.insert(std::move(d));
  Diagnostic past_code;
  past_code.code = code + '\0';  // sorts after every entry of `code`, before any other code
  past_code.level = DiagLevel::kInfo;
  const auto largest = std::prev(items_.lower_bound(past_code));
  suppressed_[code] += largest->count;
  items_.erase(largest);
}

void Diagnostics::warn(std::string code, std::string path, std::string message, std::string where) {
  add({DiagLevel::kWarning, std::move(code), std::move(path), std::move(where), std::move(message),
       1});
}

void Diagnostics::error(std::string code, std::string path, std::string message,
                        std::string where) {
  add({DiagLevel::kError, std::move(code), std::move(path), std::move(where), std::move(message),
       1});
}

void Diagnostics::info(std::string code, std::string path, std::string message, std::string where) {
  add({DiagLevel::kInfo, std::move(code), std::move(path), std::move(where), std::move(message),
       1});
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::lock_guard lock(mu_);
  return {items_.begin(), items_.end()};
}

std::map<std::string, std::size_t> Diagnostics::suppressed() const {
  std::lock_guard lock(mu_);
  return suppressed_;
}

std::size_t Diagnostics::size() const {
  std::lock_guard lock(mu_);
  return items_.size();
}

bool Diagnostics::has_code(std::string_view code) const {
  std::lock_guard lock(mu_);
  for (const auto& d : items_) {
    if (d.code == code) return true;
  }
  return false;
}

void Diagnostics::merge(const Diagnostics& other) {
  for (auto& d : other.sorted()) add(d);
  std::map<std::string, std::size_t> sup = other.suppressed();
  std::lock_guard lock(mu_);
  for (auto& [code, n] : sup) suppressed_[code] += n;
}

}  // namespace premigrate::core
