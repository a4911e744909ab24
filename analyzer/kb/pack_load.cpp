// Loading packs: one (kb::load) or one per architecture in parallel (kb::load_all), timed as
// the kb_load stage (wall time, however many threads).
#include <functional>
#include <future>
#include <string>
#include <vector>

#include "core/stage_times.hpp"
#include "kb/kb.hpp"
#include "kb/pack_file.hpp"

namespace premigrate::kb {

namespace {
KnowledgeBase load_pack(const std::filesystem::path& dir, const std::string& target_id,
                        const std::string& arch, const std::string& source_release) {
  return read_pack_file(pack_path(dir, source_release, target_id, arch));
}
}  // namespace

KnowledgeBase load(const std::filesystem::path& kb_dir, const std::string& target,
                   const std::string& arch, const std::string& source_release) {
  const core::StageTimer timer(core::Stage::kKbLoad);
  const auto dir = kb_dir_or_default(kb_dir);
  return load_pack(dir, resolve_target(dir, target).id, arch, source_release);
}

std::vector<KnowledgeBase> load_all(const std::filesystem::path& kb_dir, const std::string& target,
                                    const std::vector<std::string>& archs,
                                    const std::string& source_release) {
  const core::StageTimer timer(core::Stage::kKbLoad);
  const auto dir = kb_dir_or_default(kb_dir);
  const auto target_id = resolve_target(dir, target).id;
  // Every arch but the first on its own thread, the first on this one; the futures are
  // collected in order (each joins its thread, also when an earlier one threw).
  std::vector<std::future<KnowledgeBase>> others;
  others.reserve(archs.size());
  for (std::size_t i = 1; i < archs.size(); ++i) {
    others.push_back(std::async(std::launch::async, load_pack, std::cref(dir), std::cref(target_id),
                                std::cref(archs[i]), std::cref(source_release)));
  }
  std::vector<KnowledgeBase> packs;
  packs.reserve(archs.size());
  if (archs.empty()) return packs;
  packs.push_back(load_pack(dir, target_id, archs.front(), source_release));
  for (auto& f : others) packs.push_back(f.get());
  return packs;
}

}  // namespace premigrate::kb
