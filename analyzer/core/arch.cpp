// The architecture name table (arch.hpp).
#include "core/arch.hpp"

#include "core/name_table.hpp"

namespace premigrate::core {

namespace {
constexpr NameTable<Arch, 2> kArchNames{{{
    {Arch::kX8664, "x86_64"},
    {Arch::kAarch64, "aarch64"},
}}};
}  // namespace

const std::vector<Arch>& all_archs() {
  static const std::vector<Arch> all = kArchNames.values();
  return all;
}
std::string_view to_string(Arch a) { return kArchNames.name(a); }
std::optional<Arch> parse_arch(std::string_view name) { return kArchNames.parse(name); }
std::vector<std::string> arch_names() { return kArchNames.names(); }
std::string arch_names_text() { return kArchNames.names_text(); }

}  // namespace premigrate::core
