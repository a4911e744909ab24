// Shared option parsing for the sub-commands.
#include "cli/options.hpp"

#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "core/errors.hpp"
#include "core/priority.hpp"
#include "core/text.hpp"

namespace premigrate::cli {

po::options_description common_options(CommonArgs& a) {
  po::options_description d("What to scan");
  d.add_options()("root", po::value(&a.root)->default_value("/")->notifier(non_empty("--root")),
                  "root of the system to scan (a mounted or extracted image, or / for this host)")(
      "image", po::value(&a.image)->notifier(non_empty("--image")),
      "a container image instead of a root: docker-save archive, OCI layout directory or OCI "
      "archive; PATH@NAME:TAG (or @sha256:DIGEST) chooses one of several; or a disk image "
      "(qcow2, VMDK, raw) read through libguestfs, DISK@/dev/sda2 choosing an OS (docs/images.md)")(
      "image-timeout", po::value(&a.image_timeout)->default_value(600),
      "seconds a disk image may take (appliance launch and copy) before it is given up")(
      "paths", po::value(&a.paths)->composing(),
      "walk only these root-relative subtrees (repeatable)")(
      "exclude", po::value(&a.excludes)->composing(),
      "skip root-relative paths matching this glob (repeatable)")(
      "one-file-system", po::bool_switch(&a.one_file_system),
      "do not cross into other file systems below the root")(
      "max-file-size", po::value(&a.max_file_size)->default_value("1G"),
      "skip larger files with a diagnostic (suffixes K, M, G)")(
      "jobs,j", po::value(&a.jobs)->default_value(0),
      "worker threads, 0 to 256 (0 = one per core)")(
      "no-files", po::bool_switch(&a.no_files), "read the rpmdb and host facts only; no file walk")(
      "progress", po::value(&a.progress)->default_value("auto"),
      "progress line on stderr: auto (when a terminal), always, never")(
      "low-priority", po::bool_switch(&a.low_priority),
      "run at the lowest CPU priority (nice 19) and the idle IO class, for production hosts")(
      "timings", po::bool_switch(&a.timings),
      "print the wall time of each stage (walk, ELF, rpmdb, KB load, analysis, render) on stderr");
  return d;
}

render::Language parse_lang_option(const std::string& lang) {
  if (auto l = render::parse_language(lang)) return *l;
  throw core::UsageError("--lang must be one of " + render::language_names_text() + ", not " +
                         core::printable_text(lang));
}

std::function<void(const std::string&)> non_empty(const std::string& option) {
  return [option](const std::string& v) {
    if (v.empty()) throw core::UsageError(option + " needs a value, not an empty string");
  };
}

namespace {
std::uint64_t parse_size(const std::string& s) {
  if (s.empty()) throw core::UsageError("--max-file-size: empty value");
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0) throw core::UsageError("--max-file-size: not a size: " + s);
  std::uint64_t n = 0;
  const auto parsed = std::from_chars(s.data(), s.data() + i, n);
  const std::string suf = s.substr(i);
  unsigned shift = 0;
  if (suf == "K" || suf == "k")
    shift = 10;
  else if (suf == "M" || suf == "m")
    shift = 20;
  else if (suf == "G" || suf == "g")
    shift = 30;
  else if (!suf.empty())
    throw core::UsageError("--max-file-size: unknown suffix in " + s + " (use K, M or G)");
  if (parsed.ec != std::errc() || n > (UINT64_MAX >> shift))
    throw core::UsageError("--max-file-size: too large: " + s);
  return n << shift;
}
}  // namespace

collect::CollectOptions to_collect_options(const CommonArgs& a) {
  collect::CollectOptions o;
  o.paths = a.paths;
  o.excludes = a.excludes;
  o.one_file_system = a.one_file_system;
  o.max_file_size = parse_size(a.max_file_size);
  // More threads than this only add contention (and descriptors: each holds files open).
  constexpr int kMaxJobs = 256;
  if (a.jobs < 0 || a.jobs > kMaxJobs)
    throw core::UsageError("--jobs must be 0 (one per core) to " + std::to_string(kMaxJobs) +
                           ", not " + std::to_string(a.jobs));
  o.jobs = static_cast<unsigned>(a.jobs);
  o.walk_files = !a.no_files;
  if (a.progress == "auto") {
    o.progress = ::isatty(STDERR_FILENO) != 0;
  } else if (a.progress == "always") {
    o.progress = true;
  } else if (a.progress == "never") {
    o.progress = false;
  } else {
    throw core::UsageError("--progress must be auto, always or never, not " + a.progress);
  }
  return o;
}

void apply_priority(const CommonArgs& a) {
  if (!a.low_priority) return;
  const auto r = core::lower_priority();
  if (!r.problem.empty()) std::cerr << "premigrate: warning: --low-priority: " << r.problem << "\n";
}

bool parse_or_help(const std::vector<std::string>& args, const po::options_description& desc,
                   const std::string& usage, const po::positional_options_description* positional) {
  po::options_description all(desc);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::command_line_parser parser(args);
    parser.options(all);
    if (positional) parser.positional(*positional);
    const auto parsed = parser.run();
    // Without a positional description Boost keeps a stray word as an unnamed option and the
    // command would run as if it were not there: `scan /mnt/image` must not scan /.
    if (!positional) {
      for (const auto& o : parsed.options) {
        if (o.position_key >= 0 || o.string_key.empty()) {
          const std::string word = o.original_tokens.empty() ? std::string() : o.original_tokens[0];
          throw core::UsageError("unexpected argument '" + core::printable_text(word) +
                                 "' (options start with --; see --help)");
        }
      }
    }
    po::store(parsed, vm);
    if (vm.count("help")) {
      std::cout << usage << "\n" << all << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw core::UsageError(e.what());
  }
  return true;
}

std::vector<std::string> split_list(const std::string& s, const std::vector<std::string>& allowed,
                                    const std::string& what) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    std::string item = s.substr(i, j - i);
    if (!item.empty()) {
      bool ok = false;
      for (const auto& a : allowed) ok = ok || a == item;
      if (!ok) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        throw core::UsageError(what + ": unknown value '" + item + "' (expected " + list + ")");
      }
      bool dup = false;
      for (const auto& o : out) dup = dup || o == item;
      if (!dup) out.push_back(item);
    }
    i = j + 1;
  }
  if (out.empty()) throw core::UsageError(what + ": empty list");
  return out;
}

std::string now_iso8601() {
  std::time_t t = std::time(nullptr);
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH"); sde && *sde) {
    t = static_cast<std::time_t>(std::strtoll(sde, nullptr, 10));
  }
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string tool_version() { return PREMIGRATE_VERSION; }

}  // namespace premigrate::cli
