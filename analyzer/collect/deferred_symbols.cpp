// The second phase of ELF collection: the symbols of packaged objects that turn out to stay
// (third-party), and the exports of libraries that staying objects load, read once the analysis
// can tell which they are.
#include <cstring>
#include <string>
#include <vector>

#include "collect/collect.hpp"
#include "collect/elf/elf_reader.hpp"
#include "core/parallel_jobs.hpp"
#include "core/stage_times.hpp"

namespace premigrate::collect {

void read_deferred_symbols(const core::RootFs& root, facts::Inventory& inv,
                           const std::function<bool(const facts::ElfObject&)>& wanted,
                           const std::function<bool(const facts::ElfObject&)>& wanted_exports,
                           core::Diagnostics& diags) {
  const core::StageTimer timer(core::Stage::kElf);
  struct Read {
    facts::ElfObject* obj;
    bool undefined, exports;
  };
  std::vector<Read> reads;
  for (auto& obj : inv.elf_objects) {
    const bool undefined = obj.symbols_pending && wanted(obj);
    const bool exports = obj.exports_pending && wanted_exports(obj);
    if (undefined || exports) reads.push_back({&obj, undefined, exports});
  }
  // Each object is read on its own (the string pool and the diagnostics are thread-safe, and
  // the diagnostics are sorted when written): both cores, as in the walk.
  core::run_parallel_jobs(reads.size(), 2, [&](std::size_t i) {
    auto& obj = *reads[i].obj;
    auto unread = [&](const std::string& why) { elf::mark_symbols_unread(obj, why, diags); };
    // A path with a backslash was escaped (core::printable_path writes a backslash itself as
    // \x5c): it is not the name on disk, and opening it could open another file.
    if (obj.path.find('\\') != std::string::npos) {
      unread("its name has bytes that cannot be opened again by its printable path");
      return;
    }
    // Not following a final symlink: the walk read the file itself, never through a link.
    const core::Opened f = root.open_regular(obj.path, false);
    if (!f.fd.valid()) {
      unread("cannot open it again (" + std::string(std::strerror(f.error)) + ")");
      return;
    }
    elf::read_deferred_symbols(f.fd.get(), obj, diags, reads[i].undefined, reads[i].exports);
  });
}

}  // namespace premigrate::collect
