// The second phase of ELF collection: the symbols of packaged objects that turn out to stay
// (third-party), and the exports of libraries that staying objects load, read once the analysis
// can tell which they are.
#include <cstring>
#include <string>

#include "collect/collect.hpp"
#include "collect/elf/elf_reader.hpp"
#include "core/stage_times.hpp"

namespace premigrate::collect {

void read_deferred_symbols(const core::RootFs& root, facts::Inventory& inv,
                           const std::function<bool(const facts::ElfObject&)>& wanted,
                           const std::function<bool(const facts::ElfObject&)>& wanted_exports,
                           core::Diagnostics& diags) {
  const core::StageTimer timer(core::Stage::kElf);
  for (auto& obj : inv.elf_objects) {
    const bool undefined = obj.symbols_pending && wanted(obj);
    const bool exports = obj.exports_pending && wanted_exports(obj);
    if (!undefined && !exports) continue;
    auto unread = [&](const std::string& why) { elf::mark_symbols_unread(obj, why, diags); };
    // A path with a backslash was escaped (core::printable_path writes a backslash itself as
    // \x5c): it is not the name on disk, and opening it could open another file.
    if (obj.path.find('\\') != std::string::npos) {
      unread("its name has bytes that cannot be opened again by its printable path");
      continue;
    }
    // Not following a final symlink: the walk read the file itself, never through a link.
    const core::Opened f = root.open_regular(obj.path, false);
    if (!f.fd.valid()) {
      unread("cannot open it again (" + std::string(std::strerror(f.error)) + ")");
      continue;
    }
    elf::read_deferred_symbols(f.fd.get(), obj, diags, undefined, exports);
  }
}

}  // namespace premigrate::collect
