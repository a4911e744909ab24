// collect_inventory: rpmdb first (the walk needs its file lists for ownership), then one
// parallel walk feeding the ELF, kernel-module and script readers, then the config and host
// collectors; canonicalize() makes the result independent of thread timing.
#include "collect/collect.hpp"

#include <exception>
#include <functional>
#include <mutex>
#include <set>
#include <string_view>
#include <system_error>
#include <thread>

#include "collect/config/config_files.hpp"
#include "collect/config/cron.hpp"
#include "collect/config/host.hpp"
#include "collect/config/root_reads.hpp"
#include "collect/config/scripts.hpp"
#include "collect/config/services.hpp"
#include "collect/elf/elf_reader.hpp"
#include "collect/files/ownership.hpp"
#include "collect/files/walker.hpp"
#include "collect/kmod/kmod_reader.hpp"
#include "collect/rpmdb/rpmdb_reader.hpp"
#include "core/stage_times.hpp"
#include "core/text.hpp"

namespace premigrate::collect {

namespace {

// Module trees as the walk meets them: /lib is a link to usr/lib on CentOS 7 and later.
bool under_module_tree(std::string_view path) {
  for (std::string_view base : {"/lib/modules/", "/usr/lib/modules/"}) {
    if (path.substr(0, base.size()) == base) return true;
  }
  return false;
}

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// Receives files from the walk's workers; every shared vector is guarded by one mutex, and
// order is fixed afterwards by Inventory::canonicalize().
class InventoryVisitor : public files::FileVisitor {
 public:
  // ownership_known: the rpmdb was read, so "no owner" means "unpackaged", not "unknown".
  InventoryVisitor(core::Diagnostics& diags, bool ownership_known, ElfSymbols symbols)
      : diags_(diags), ownership_known_(ownership_known), symbols_(symbols) {}

  void on_file(const files::FileEntry& e) override {
    const std::string path = core::printable_path(e.path);
    const std::string package = e.owner != nullptr ? *e.owner : "";
    // Compressed modules (.ko.xz) have no ELF magic, so modules are told by name and place.
    if (under_module_tree(e.path) && kmod::is_module_name(base_name(e.path))) {
      kmod::ReadLimits limits;
      limits.budget = &decompress_budget_;
      core::StageTimer timer(core::Stage::kKmod);
      auto m = kmod::read_module(e.fd, path, diags_, limits);
      timer.stop();
      if (m) {
        m->package = package;
        // Out of tree: extra/, updates/, weak-updates/ (set by the reader), or owned by no
        // package at all.
        if (ownership_known_ && package.empty()) m->out_of_tree = true;
        std::lock_guard lock(mu_);
        modules.push_back(std::move(*m));
      }
      return;
    }
    if (e.kind == files::FileKind::kElf) {
      core::StageTimer timer(core::Stage::kElf);
      elf::ElfReadOptions ro;
      ro.symbols = symbols_ == ElfSymbols::kAll || !ownership_known_ || package.empty();
      ro.exports = symbols_ != ElfSymbols::kUnpackagedImports;
      auto o = elf::read_elf(e.fd, path, diags_, ro);
      timer.stop();
      if (o) {
        o->package = package;
        std::lock_guard lock(mu_);
        machines.insert(o->machine);
        elf_objects.push_back(std::move(*o));
      }
      return;
    }
    if (e.kind == files::FileKind::kShebang && config::is_script_candidate(e.path, e.st.st_mode)) {
      auto sb = config::parse_shebang(e.header);
      if (!sb) {
        diags_.info("script.shebang", path, "\"#!\" line names no interpreter");
        return;
      }
      facts::Script s;
      s.path = path;
      s.package = package;
      s.interpreter = core::printable_path(sb->interpreter);
      s.program = core::printable_path(sb->program);
      for (const auto& a : sb->args) s.args.push_back(core::printable_text(a));
      std::lock_guard lock(mu_);
      scripts.push_back(std::move(s));
    }
  }

  std::vector<facts::ElfObject> elf_objects;
  std::vector<facts::KernelModule> modules;
  std::vector<facts::Script> scripts;
  std::set<std::string> machines;

 private:
  core::Diagnostics& diags_;
  const bool ownership_known_;
  const ElfSymbols symbols_;
  // All module decompression of the scan shares two minutes (a root of decompression bombs).
  kmod::DecompressBudget decompress_budget_{std::chrono::minutes(2)};
  std::mutex mu_;
};

// Runs one collector; an exception (a run-level failure inside it, such as memory
// exhaustion) marks it failed with the reason instead of losing the whole inventory.
void run_collector(facts::Inventory& inv, const std::string& name,
                   const std::function<void()>& body) {
  try {
    body();
    inv.collectors.push_back({name, facts::CollectorState::kOk, ""});
  } catch (const std::exception& e) {
    inv.collectors.push_back({name, facts::CollectorState::kFailed, e.what()});
  }
}

}  // namespace

std::string source_release(const core::RootFs& root) { return config::source_release(root); }

facts::RootReads read_requested(const core::RootFs& root, const facts::RootRequests& req,
                                core::Diagnostics& diags) {
  const core::StageTimer timer(core::Stage::kRootReads);
  return config::answer_root_requests(root, req, diags);
}

facts::Inventory collect_inventory(const core::RootFs& root, const CollectOptions& options,
                                   core::Diagnostics& diags) {
  facts::Inventory inv;
  inv.root = root.host_root().string();

  try {
    const core::StageTimer timer(core::Stage::kRpmdb);
    auto rpm = rpmdb::read_rpmdb(root, diags, options.max_file_size);
    inv.rpmdb = rpm.info;
    inv.packages = std::move(rpm.packages);
    if (inv.rpmdb.status == "ok") {
      inv.collectors.push_back({"rpmdb", facts::CollectorState::kOk, ""});
    } else if (inv.rpmdb.status == "missing") {
      inv.collectors.push_back({"rpmdb", facts::CollectorState::kSkipped, inv.rpmdb.message});
    } else {
      inv.collectors.push_back(
          {"rpmdb",
           inv.packages.empty() ? facts::CollectorState::kFailed : facts::CollectorState::kPartial,
           inv.rpmdb.message});
    }
  } catch (const std::exception& e) {
    inv.collectors.push_back({"rpmdb", facts::CollectorState::kFailed, e.what()});
  }

  const files::OwnershipIndex owners(root, inv.packages);
  files::WalkOptions wo;
  wo.paths = options.paths;
  wo.excludes = options.excludes;
  wo.one_file_system = options.one_file_system;
  wo.max_file_size = options.max_file_size;
  wo.jobs = options.jobs;
  wo.progress = options.progress;
  wo.before_open = options.before_open;

  // The collectors of services, cron jobs, config files and host facts read a few known places
  // of the root, single-threaded; they run beside the file walk (into their own inventory,
  // merged below in the same order as ever) so that their time hides in the walk's.
  facts::Inventory side;
  std::vector<std::string> enabled;
  auto side_collectors = [&] {
    const core::StageTimer timer(core::Stage::kConfig);
    run_collector(side, "services", [&] {
      auto s = config::collect_services(root, owners, diags);
      side.services = std::move(s.units);
      enabled = std::move(s.enabled);
    });
    run_collector(side, "cron",
                  [&] { side.cron_jobs = config::collect_cron(root, owners, diags); });
    run_collector(side, "config", [&] {
      side.config_files = config::collect_config_files(root, inv.packages, owners, wo, diags);
    });
    run_collector(side, "host", [&] {
      side.host = config::collect_host(root, inv.packages, diags);
      side.host.enabled_services = enabled;
    });
  };
  std::thread side_thread;
  try {
    side_thread = std::thread(side_collectors);
  } catch (const std::system_error&) {
    // No thread to be had: they run after the walk instead (below).
  }
  struct Joiner {  // the side thread is joined on every path out, exceptions included
    std::thread& t;
    ~Joiner() {
      if (t.joinable()) t.join();
    }
  } joiner{side_thread};

  std::set<std::string> elf_machines;
  if (options.walk_files) {
    InventoryVisitor visitor(diags, inv.rpmdb.status == "ok" || inv.rpmdb.status == "partial",
                             options.elf_symbols);
    try {
      core::StageTimer timer(core::Stage::kWalk);
      inv.walk = files::walk(root, wo, &owners, &visitor, diags);
      timer.stop();
      const bool partial = inv.walk.unreadable > 0 || inv.walk.skipped_too_large > 0;
      inv.collectors.push_back(
          {"files", partial ? facts::CollectorState::kPartial : facts::CollectorState::kOk,
           partial ? std::to_string(inv.walk.unreadable) + " unreadable, " +
                         std::to_string(inv.walk.skipped_too_large) + " too large"
                   : ""});
      inv.collectors.push_back({"elf", facts::CollectorState::kOk, ""});
      inv.collectors.push_back({"kmod", facts::CollectorState::kOk, ""});
      inv.collectors.push_back({"scripts", facts::CollectorState::kOk, ""});
    } catch (const std::exception& e) {
      for (const char* n : {"files", "elf", "kmod", "scripts"}) {
        inv.collectors.push_back({n, facts::CollectorState::kFailed, e.what()});
      }
    }
    inv.elf_objects = std::move(visitor.elf_objects);
    inv.kernel_modules = std::move(visitor.modules);
    inv.scripts = std::move(visitor.scripts);
    elf_machines = std::move(visitor.machines);
  } else {
    for (const char* n : {"files", "elf", "kmod", "scripts"}) {
      inv.collectors.push_back(
          {n, facts::CollectorState::kSkipped, "file walk disabled (--no-files)"});
    }
  }

  if (side_thread.joinable()) {
    side_thread.join();
  } else {
    side_collectors();
  }
  inv.services = std::move(side.services);
  inv.cron_jobs = std::move(side.cron_jobs);
  inv.config_files = std::move(side.config_files);
  inv.host = std::move(side.host);
  for (auto& c : side.collectors) inv.collectors.push_back(std::move(c));
  std::set<std::string> arches(inv.host.architectures.begin(), inv.host.architectures.end());
  for (const auto& m : elf_machines) {
    if (!m.empty()) arches.insert(m);
  }
  inv.host.architectures.assign(arches.begin(), arches.end());

  inv.canonicalize();
  return inv;
}

}  // namespace premigrate::collect
