// Option groups shared by sub-commands (what to walk, how hard to work) and small parsers.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <string>
#include <vector>

#include "collect/collect.hpp"
#include "core/root_fs.hpp"
#include "render/language.hpp"

namespace premigrate::cli {

namespace po = boost::program_options;

struct CommonArgs {
  std::string root = "/";
  std::string image;             // --image: flattened into a scratch root (cli/image_option.hpp)
  unsigned image_timeout = 600;  // --image-timeout: seconds for reading a disk image
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  bool one_file_system = false;
  std::string max_file_size = "1G";
  int jobs = 0;  // validated: 0..kMaxJobs
  bool no_files = false;
  std::string progress = "auto";
  bool low_priority = false;
  bool timings = false;  // --timings: wall time per stage on stderr
};

[[nodiscard]] po::options_description common_options(CommonArgs& a);
// A string option that, when given, must not be empty (`--target ''` is a usage error, not
// "the default"): po::value(&s)->notifier(non_empty("--target")).
[[nodiscard]] std::function<void(const std::string&)> non_empty(const std::string& option);
// Validates and converts; throws core::UsageError with the offending value.
[[nodiscard]] collect::CollectOptions to_collect_options(const CommonArgs& a);
// With --low-priority: nice 19 and the idle IO class for this process from here on (call it
// before the scan starts its threads, which inherit both). A part that fails is a warning on
// stderr, not an error: the scan still runs.
void apply_priority(const CommonArgs& a);

// Parses args against desc (and positional arguments, when given); "--help" prints
// `usage` + desc and returns false. Parse errors become core::UsageError.
[[nodiscard]] bool parse_or_help(const std::vector<std::string>& args,
                                 const po::options_description& desc, const std::string& usage,
                                 const po::positional_options_description* positional = nullptr);

// "x86_64,aarch64" -> list; throws UsageError for names outside `allowed`.
[[nodiscard]] std::vector<std::string> split_list(const std::string& s,
                                                  const std::vector<std::string>& allowed,
                                                  const std::string& what);

// --lang: a language of the HTML pages; throws UsageError naming the known ones.
[[nodiscard]] render::Language parse_lang_option(const std::string& lang);

// ISO 8601 UTC; SOURCE_DATE_EPOCH, when set, replaces the clock (reproducible reports).
[[nodiscard]] std::string now_iso8601();

[[nodiscard]] std::string tool_version();

}  // namespace premigrate::cli
