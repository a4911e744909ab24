// Tier-2 errors: one bad item of input becomes a deduplicated diagnostic naming the path and
// the place in it (offset, section, tag); the scan goes on and the report lists them.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace premigrate::core {

enum class DiagLevel { kInfo, kWarning, kError };

[[nodiscard]] std::string_view to_string(DiagLevel level);

struct Diagnostic {
  DiagLevel level = DiagLevel::kWarning;
  std::string code;       // stable, dotted: "rpmdb.open", "elf.truncated", "walk.symlink_escape"
  std::string path;       // root-relative path of the item ("/" for the root itself)
  std::string where;      // offset, section or tag inside the item; may be empty
  std::string message;    // one sentence, no trailing period needed
  std::size_t count = 1;  // how many identical occurrences were folded into this one

  [[nodiscard]] auto key() const { return std::tie(code, path, where, message, level); }
  bool operator<(const Diagnostic& o) const { return key() < o.key(); }
};

// A thread-safe sink. Identical diagnostics fold into one with a count; past kMaxPerCode
// distinct entries of one code, only the kMaxPerCode smallest (by key) are kept and the rest
// are counted, so what is kept does not depend on thread timing and memory stays bounded on a
// hostile root with millions of bad files.
class Diagnostics {
 public:
  static constexpr std::size_t kMaxPerCode = 2000;

  void add(Diagnostic d);
  void warn(std::string code, std::string path, std::string message, std::string where = {});
  void error(std::string code, std::string path, std::string message, std::string where = {});
  void info(std::string code, std::string path, std::string message, std::string where = {});

  // Sorted by (code, path, where, message): deterministic whatever the thread interleaving.
  [[nodiscard]] std::vector<Diagnostic> sorted() const;
  // Entries dropped past kMaxPerCode, by code.
  [[nodiscard]] std::map<std::string, std::size_t> suppressed() const;
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] bool has_code(std::string_view code) const;
  void merge(const Diagnostics& other);

 private:
  mutable std::mutex mu_;
  std::set<Diagnostic> items_;
  std::map<std::string, std::size_t> per_code_;
  std::map<std::string, std::size_t> suppressed_;
};

}  // namespace premigrate::core
