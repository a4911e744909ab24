// The KB module's entry points for other stages: resolve a target and load a pack.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "kb/knowledge_base.hpp"
#include "kb/pack_file.hpp"
#include "kb/target_catalog.hpp"

namespace premigrate::kb {

// kb_dir: the --kb value, or empty for core::find_data_dir("knowledgebase").
[[nodiscard]] std::filesystem::path kb_dir_or_default(const std::filesystem::path& kb_dir);

// ${XDG_DATA_HOME:-$HOME/.local/share}/premigrate/kb: where `kb sync` writes without --out.
[[nodiscard]] std::filesystem::path user_kb_dir();
// The KB a scan reads: kb_dir when given; else the synced user KB when it holds a catalog;
// else the bundled one.
[[nodiscard]] std::filesystem::path scan_kb_dir(const std::filesystem::path& kb_dir);

// Loads the pack for source -> target on arch; target may be a full id, a short id or empty.
// Throws core::RunError naming the file on a missing pack or an unknown schema.
[[nodiscard]] KnowledgeBase load(const std::filesystem::path& kb_dir, const std::string& target,
                                 const std::string& arch, const std::string& source_release);

// The packs of several architectures (scan --arch x86_64,aarch64), loaded at once, one thread
// each: a pack is JSON to parse and index, CPU-bound. The result is in `archs` order whatever
// finishes first; on failure the error of the first failing arch in that order is thrown.
[[nodiscard]] std::vector<KnowledgeBase> load_all(const std::filesystem::path& kb_dir,
                                                  const std::string& target,
                                                  const std::vector<std::string>& archs,
                                                  const std::string& source_release);

}  // namespace premigrate::kb
