// `premigrate kb build|info|validate`: builds packs from manifests, shows a pack's versions,
// provenance and coverage, and validates a folder of packs (`kb sync`: kb_sync_command.cpp).
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "core/output_file.hpp"
#include "kb/builder.hpp"
#include "kb/kb.hpp"
#include "kb/pack_format.hpp"
#include "kb/validate.hpp"

namespace premigrate::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    "usage: premigrate kb build [--kb DIR] [--sources DIR] [--out DIR] [--date YYYY-MM-DD]\n"
    "                           [--manifest FILE]... [--check]\n"
    "       premigrate kb info [--kb DIR] [--target ID] [--arch A] [--source S]\n"
    "       premigrate kb validate DIR\n"
    "       premigrate kb sync --mirror URL (--target ID... | --all) [options] (kb sync --help)\n";

// `kb <sub> --help`: the usage and this subcommand's options on stdout.
bool wants_help(const std::vector<std::string>& args, const po::options_description& d) {
  for (const auto& a : args) {
    if (a == "--") break;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage << "\n" << d << "\n";
      return true;
    }
  }
  return false;
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& d,
                        const po::positional_options_description* pos = nullptr) {
  po::variables_map vm;
  try {
    auto parser = po::command_line_parser(args).options(d);
    if (pos) parser.positional(*pos);
    po::store(parser.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw core::UsageError(std::string("kb: ") + e.what() + "\n" + kUsage);
  }
  return vm;
}

int run_build(const std::vector<std::string>& args) {
  po::options_description d("kb build");
  d.add_options()("kb", po::value<std::string>(), "knowledgebase folder")(
      "sources", po::value<std::string>(), "dataset folder (default ../shared/kb-sources)")(
      "out", po::value<std::string>(), "output folder (default <kb>/packs)")(
      "date", po::value<std::string>(), "build date (default SOURCE_DATE_EPOCH or manifest)")(
      "manifest", po::value<std::vector<std::string>>(), "build only these manifests")(
      "check", "compare with the existing packs instead of writing; exit 1 on a difference");
  if (wants_help(args, d)) return 0;
  const auto vm = parse(args, d);
  kb::BuildOptions o;
  o.kb_dir = kb::kb_dir_or_default(vm.count("kb") ? vm["kb"].as<std::string>() : "");
  o.sources_dir = vm.count("sources") ? fs::path(vm["sources"].as<std::string>())
                                      : o.kb_dir.parent_path() / ".." / "shared" / "kb-sources";
  if (vm.count("date")) o.date = vm["date"].as<std::string>();
  if (!fs::is_directory(o.sources_dir))
    throw core::RunError(o.sources_dir.string() + ": dataset folder not found (use --sources)");
  const fs::path out = vm.count("out") ? fs::path(vm["out"].as<std::string>()) : o.kb_dir / "packs";
  std::vector<fs::path> manifests;
  if (vm.count("manifest"))
    for (const auto& m : vm["manifest"].as<std::vector<std::string>>()) manifests.emplace_back(m);
  else
    manifests = kb::list_manifests(o.kb_dir);
  if (manifests.empty()) throw core::RunError((o.kb_dir / "manifests").string() + ": no manifests");
  fs::create_directories(out);
  int differ = 0;
  for (const auto& m : manifests) {
    const auto pack = kb::build_pack(m, o);
    const auto problems = kb::validate_pack(pack, m.string());
    if (!problems.empty()) throw core::RunError(problems.front());
    const auto text = kb::write_pack_text(pack);
    const auto file = out / kb::pack_name_for_manifest(m);
    if (vm.count("check")) {
      std::string old;
      if (fs::exists(file)) old = kb::read_text_file(file);
      const bool same = old == text;
      differ += same ? 0 : 1;
      std::cout << (same ? "same    " : "DIFFERS ") << file.string() << "\n";
      continue;
    }
    core::write_output_file(file, text);
    std::cout << "wrote " << file.string() << " (" << text.size() << " bytes)\n";
  }
  return differ ? static_cast<int>(core::ExitCode::kToolError) : 0;
}

void print_info(const kb::KnowledgeBase& k) {
  std::cout << "pack " << k.file() << "\n"
            << "  " << k.source_release() << " -> " << k.target().id << " (" << k.target().name
            << ") " << k.arch() << "\n"
            << "  kb_version " << k.kb_version() << ", schema_version " << k.schema_version()
            << ", built " << k.build_date() << "\n  datasets:\n";
  for (const auto& d : k.datasets()) {
    std::cout << "    " << d.id << ": " << d.name << "\n      origin " << d.origin
              << (d.commit.empty() ? "" : " @ " + d.commit) << (d.date.empty() ? "" : ", " + d.date)
              << ", licence " << d.licence << ", rows " << d.rows << " read / " << d.rows_in_pack
              << " in pack\n";
    if (!d.derived_from.empty()) std::cout << "      DERIVED from " << d.derived_from << "\n";
  }
  std::cout << "  coverage:\n";
  for (const char* fact : kb::kFactKinds) {
    const auto c = k.coverage(fact);
    std::cout << "    " << fact << ": " << kb::to_string(c.status) << " (" << k.count(fact)
              << " rows)" << (c.reason.empty() ? "" : " - " + c.reason) << "\n";
  }
  // The fate resolver's answers over the names the pack speaks of, by kind of evidence.
  const auto mix = k.fate_evidence_mix();
  std::size_t total = 0;
  for (const auto& [kind, n] : mix) total += n;
  std::cout << "  fate evidence (" << total << " names):";
  for (const char* kind : {"observed", "derived", "third-party", "none"})
    std::cout << " " << kind << " " << mix.at(kind);
  std::cout << "\n";
}

int run_info(const std::vector<std::string>& args) {
  po::options_description d("kb info");
  d.add_options()("kb", po::value<std::string>(), "knowledgebase folder")(
      "target", po::value<std::string>()->default_value(""), "target id (default newest LTS)")(
      "arch", po::value<std::string>()->default_value(""), "x86_64 or aarch64 (default both)")(
      "source", po::value<std::string>()->default_value(""), "source release (default all)");
  if (wants_help(args, d)) return 0;
  const auto vm = parse(args, d);
  const auto dir = kb::scan_kb_dir(vm.count("kb") ? vm["kb"].as<std::string>() : "");
  const auto target = kb::resolve_target(dir, vm["target"].as<std::string>());
  std::vector<std::string> sources;
  if (!vm["source"].as<std::string>().empty())
    sources.push_back(vm["source"].as<std::string>());
  else {
    std::set<std::string> seen;
    for (const auto& e : fs::directory_iterator(dir / "packs")) {
      const auto n = e.path().filename().string();
      if (auto p = n.find("_to_" + target.id + "_"); p != std::string::npos)
        seen.insert(n.substr(0, p));
    }
    sources.assign(seen.begin(), seen.end());
  }
  for (const auto& arch : kb::resolve_arches(vm["arch"].as<std::string>()))
    for (const auto& s : sources)
      print_info(kb::read_pack_file(kb::pack_path(dir, s, target.id, arch)));
  return 0;
}

int run_validate(const std::vector<std::string>& args) {
  po::options_description d("kb validate");
  d.add_options()("dir", po::value<std::string>(), "knowledgebase or packs folder");
  po::positional_options_description pos;
  pos.add("dir", 1);
  if (wants_help(args, d)) return 0;
  const auto vm = parse(args, d, &pos);
  if (!vm.count("dir")) throw core::UsageError(std::string("kb validate needs a DIR\n") + kUsage);
  std::size_t checked = 0;
  const auto problems = kb::validate_dir(vm["dir"].as<std::string>(), checked);
  for (const auto& p : problems) std::cerr << p << "\n";
  if (checked == 0) throw core::RunError(vm["dir"].as<std::string>() + ": no packs to validate");
  std::cout << checked << " pack(s) checked, " << problems.size() << " problem(s)\n";
  return problems.empty() ? 0 : static_cast<int>(core::ExitCode::kToolError);
}

}  // namespace

int run_kb(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? static_cast<int>(core::ExitCode::kUsage) : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "build") return run_build(rest);
  if (args[0] == "info") return run_info(rest);
  if (args[0] == "validate") return run_validate(rest);
  if (args[0] == "sync") return run_kb_sync(rest);
  throw core::UsageError("kb: unknown sub-command '" + args[0] + "'\n" + kUsage);
}

}  // namespace premigrate::cli
