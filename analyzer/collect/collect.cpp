// The collection stage. This version runs the rpmdb collector; the file walk and the
// ELF/module/config collectors report themselves as not run until they are wired in.
#include "collect/collect.hpp"

#include "collect/rpmdb/rpmdb_reader.hpp"

namespace premigrate::collect {

facts::Inventory collect_inventory(const core::RootFs& root, const CollectOptions& options,
                                   core::Diagnostics& diags) {
  facts::Inventory inv;
  inv.root = root.host_root().string();
  auto db = rpmdb::read_rpmdb(root, diags);
  inv.rpmdb = db.info;
  inv.packages = std::move(db.packages);
  inv.collectors.push_back({"rpmdb",
                            db.info.status == "ok"        ? "ok"
                            : db.info.status == "partial" ? "partial"
                                                          : "failed",
                            db.info.message});
  const char* why = options.walk_files ? "this build has no file-walk collector"
                                       : "file walk disabled (--no-files)";
  for (const char* name : {"files", "elf", "kmod", "config", "host"}) {
    inv.collectors.push_back({name, "skipped", why});
  }
  inv.canonicalize();
  return inv;
}

}  // namespace premigrate::collect
