// The scan pipeline as a library: facts (collected from a root, or read from an inventory
// JSON) -> KB packs -> analysis -> report -> the output formats. The CLI
// (cli/scan_command.cpp) parses options into a ScanRequest and prints the outcome; tests call
// run() directly.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "collect/collect.hpp"
#include "core/arch.hpp"
#include "image/image.hpp"
#include "render/formats.hpp"
#include "render/language.hpp"
#include "report/report.hpp"

namespace premigrate::scan {

struct ScanRequest {
  // Where the facts come from: the root (collected with `collect`), or, when inventory_file is
  // set, an inventory JSON written by `premigrate inventory` (the root is not read at all).
  std::string root = "/";
  std::filesystem::path inventory_file;
  // When set (--image PATH[@NAME:TAG]), a container image flattened into a private scratch
  // root (analyzer/image) is scanned instead of `root`, and the report names the image.
  std::string image;
  image::ImageLimits image_limits;
  collect::CollectOptions collect;

  std::string target;  // a target id or line; "" = the newest LTS of the KB's default family
  std::string source;  // a source release id; "" = detected from the facts
  std::vector<core::Arch> archs = core::all_archs();
  std::vector<const render::OutputFormat*> formats;  // rows of render::output_formats()
  render::Language lang = render::Language::kEn;
  std::filesystem::path output_dir;  // created if missing

  std::filesystem::path kb_dir;                        // "" = kb::scan_kb_dir's default
  std::vector<std::filesystem::path> extra_rule_dirs;  // beside the built-in rules/
  std::filesystem::path waivers_file;                  // "" = none
  std::vector<std::string> trust_keys;  // 16 lower-case hex digits each (--trust-key)

  std::string tool_version;
  std::string generated_at;  // ISO 8601 UTC

  // The terminal summary (render::render_text, with ANSI colours or without) made beside the
  // formats into ScanOutcome::summary; nullopt: none.
  std::optional<bool> summary_color;
  // The caller exits once it has printed the outcome (the CLI): the inventory and the KB packs
  // are left to the process's end (core::keep_until_exit) instead of being freed.
  bool exit_after = false;
};

// NOLINTNEXTLINE(bugprone-exception-escape): report::Report's implicit members, as in report.hpp
struct ScanOutcome {
  report::Report report;
  nlohmann::json doc;  // report::to_json, evidence capped: what the terminal summary shows
  std::vector<std::filesystem::path> written;  // in the order of ScanRequest::formats
  std::string summary;  // the terminal summary, when ScanRequest::summary_color asked for it

  // Highest unwaived severity, or nullopt when there is no finding above info.
  [[nodiscard]] std::optional<report::Severity> worst() const;
  // Architectures whose verdict is incomplete (a check could not run), in report order.
  [[nodiscard]] std::vector<std::string> incomplete_archs() const;
};

// Runs the pipeline. Bad options (unknown target or source, rules or waivers that do not
// parse) throw before anything is written. Once the output directory exists, a run-level
// failure (no root, a KB pack that does not load, an analysis error) writes an error report in
// every requested format, naming the stage, and is rethrown (core::RunError).
[[nodiscard]] ScanOutcome run(const ScanRequest& req);

}  // namespace premigrate::scan
