// Output format tables, one row per format (name, file name, writer): the closed set a
// command's --format accepts, and the one place a new format is registered. scan's table is
// here (docs/architecture.md, "A new output format"); diff's and fleet's use the same rows
// (cli/format_tables.cpp).
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "render/language.hpp"

namespace premigrate::report {
struct Report;
}

namespace premigrate::render {

// What every format is written from: the report document (report::to_json, evidence capped,
// or an error document), the model when there is one (the JSON streams every evidence entry
// from it), the templates folder and the language of the pages.
struct RenderInput {
  const nlohmann::json& doc;
  const report::Report* model = nullptr;  // null: an error report
  std::filesystem::path templates;
  Language lang = Language::kEn;
};

struct OutputFormat {
  std::string_view name;       // the --format word
  std::string_view file_name;  // in the output directory
  void (*write)(std::ostream& out, const RenderInput& in);
  // Slow (the JSON with every evidence entry, the HTML page): started before the others.
  bool own_thread = false;
};

// A command's formats, in the order --help lists them.
using FormatTable = std::vector<OutputFormat>;
[[nodiscard]] const OutputFormat* find_format(const FormatTable& table, std::string_view name);
[[nodiscard]] std::vector<std::string> format_names(const FormatTable& table);
// "json, html, text": for messages and --help.
[[nodiscard]] std::string format_names_text(const FormatTable& table);

// scan's formats.
[[nodiscard]] const FormatTable& output_formats();
[[nodiscard]] const OutputFormat* find_output_format(std::string_view name);
// "json, html, text, junit, sarif"
[[nodiscard]] std::string output_format_names_text();

// Writes each format into out_dir (whole or not at all: core::OutputFile) and returns the
// paths written, in the order of `formats`. Throws core::RunError naming the file. `also`, when
// set, is more of the caller's work (the terminal summary) run on the same two threads, after
// the slow formats have started; its exception is rethrown after the formats'.
[[nodiscard]] std::vector<std::filesystem::path> write_outputs(
    const std::vector<const OutputFormat*>& formats, const RenderInput& in,
    const std::filesystem::path& out_dir, const std::function<void()>& also = {});

}  // namespace premigrate::render
