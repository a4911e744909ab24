// `premigrate kb sync`: the command line of kb/sync (packs straight from a mirror's repodata).
#include <boost/program_options.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "kb/kb.hpp"
#include "kb/sync/kb_sync.hpp"
#include "kb/sync/mirror_layout.hpp"

namespace premigrate::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* kSyncUsage =
    "usage: premigrate kb sync --mirror URL (--target ID... | --all) [--arch x86_64,aarch64]\n"
    "                          [--repos OS,everything,EPOL,update] [--out DIR] [--cache DIR]\n"
    "                          [--kb DIR] [--timeout SEC] [--retries N] [--proxy URL]\n"
    "                          [--gpg-key FILE] [--progress auto|always|never]\n"
    "                          [--exports [--export-packages LIST] [--for-report REPORT.json]]\n";

fs::path user_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg == '/') return fs::path(xdg) / "premigrate" / "kb-sync";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/") / ".cache" / "premigrate" / "kb-sync";
}

}  // namespace

int run_kb_sync(const std::vector<std::string>& args) {
  po::options_description d("kb sync");
  d.add_options()("mirror", po::value<std::string>(),
                  "mirror base URL (http, https, ftp, file://) or folder")(
      "target", po::value<std::vector<std::string>>(), "target id (full or short); repeatable")(
      "all", "every target of targets.json")(
      "arch", po::value<std::string>()->default_value("x86_64,aarch64"),
      "architectures, comma-separated")("repos", po::value<std::string>()->default_value(""),
                                        "repositories (default: the layout's)")(
      "out", po::value<std::string>(),
      "KB folder to write (default: the user KB scans read first)")(
      "cache", po::value<std::string>(), "metadata cache (default ~/.cache/premigrate/kb-sync)")(
      "kb", po::value<std::string>(), "bundled KB to keep the source side from")(
      "timeout", po::value<long>()->default_value(30), "connect / stall timeout in seconds")(
      "retries", po::value<int>()->default_value(3), "further attempts per file")(
      "proxy", po::value<std::string>()->default_value(""), "proxy URL (default: http_proxy etc.)")(
      "gpg-key", po::value<std::string>(), "verify repomd.xml.asc with this public key")(
      "progress", po::value<std::string>()->default_value("auto"),
      "progress bar: auto, always, never")(
      "exports", "also read the real export lists of the target's library packages")(
      "for-report", po::value<std::string>(),
      "with --exports: also the libraries REPORT.json found no export list of")(
      "export-packages", po::value<std::string>(),
      "with --exports: these packages (default: targets.json's)");
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << kSyncUsage << "\n" << d << "\n";
      return 0;
    }
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(d).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw core::UsageError(std::string("kb sync: ") + e.what() + "\n" + kSyncUsage);
  }
  if (!vm.count("mirror"))
    throw core::UsageError(std::string("kb sync needs --mirror URL\n") + kSyncUsage);
  kb::sync::SyncOptions o;
  o.mirror = vm["mirror"].as<std::string>();
  // A plain folder is a file:// mirror.
  if (o.mirror.find("://") == std::string::npos) {
    if (!fs::is_directory(o.mirror))
      throw core::UsageError("kb sync: --mirror '" + o.mirror + "' is neither a URL nor a folder");
    o.mirror = "file://" + fs::absolute(o.mirror).lexically_normal().string();
  }
  if (vm.count("target")) o.targets = vm["target"].as<std::vector<std::string>>();
  o.all = vm.count("all") > 0;
  if (o.all && !o.targets.empty())
    throw core::UsageError("kb sync: --all and --target exclude each other");
  for (const auto& a : kb::sync::split_commas(vm["arch"].as<std::string>())) {
    (void)kb::resolve_arches(a);  // rejects an unknown architecture
    o.arches.push_back(a);
  }
  if (o.arches.empty()) throw core::UsageError("kb sync: --arch names no architecture");
  o.repos = vm["repos"].as<std::string>();
  o.kb_dir = kb::kb_dir_or_default(vm.count("kb") ? vm["kb"].as<std::string>() : "");
  o.out = vm.count("out") ? fs::path(vm["out"].as<std::string>()) : kb::user_kb_dir();
  o.copy_unsynced = !vm.count("out");
  o.fetch.cache_dir =
      vm.count("cache") ? fs::path(vm["cache"].as<std::string>()) : user_cache_dir();
  o.fetch.timeout_seconds = vm["timeout"].as<long>();
  o.fetch.retries = vm["retries"].as<int>();
  if (o.fetch.timeout_seconds <= 0 || o.fetch.retries < 0)
    throw core::UsageError("kb sync: --timeout must be positive and --retries not negative");
  o.fetch.proxy = vm["proxy"].as<std::string>();
  if (vm.count("gpg-key")) {
    o.fetch.gpg_key = fs::absolute(vm["gpg-key"].as<std::string>());
    if (!fs::is_regular_file(o.fetch.gpg_key))
      throw core::UsageError("kb sync: --gpg-key " + o.fetch.gpg_key.string() + ": no such file");
  }
  o.exports = vm.count("exports") > 0;
  if (vm.count("export-packages")) {
    if (!o.exports) throw core::UsageError("kb sync: --export-packages needs --exports");
    o.export_packages = kb::sync::split_commas(vm["export-packages"].as<std::string>());
  }
  if (vm.count("for-report")) {
    if (!o.exports) throw core::UsageError("kb sync: --for-report needs --exports");
    o.for_report = vm["for-report"].as<std::string>();
  }
  o.progress = kb::sync::parse_progress_mode(vm["progress"].as<std::string>());
  const auto summary = kb::sync::run_sync(o, std::cerr);
  for (const auto& p : summary.packs) std::cout << "wrote " << p.string() << "\n";
  std::cout << "kb sync: " << summary.packs.size() << " pack(s) in " << o.out.string() << "; "
            << summary.files_downloaded << " metadata file(s) downloaded ("
            << summary.bytes_downloaded << " bytes), " << summary.files_cached
            << " unchanged in the cache " << o.fetch.cache_dir.string() << "\n";
  return 0;
}

}  // namespace premigrate::cli
