// The KB packs of a scan, loaded beside the fact collection when the source release is known
// before it (--source, or the root's release files read first), so that the KB load no longer
// waits for the walk to end.
#pragma once

#include <functional>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "kb/knowledge_base.hpp"

namespace premigrate::scan {

using Packs = std::vector<std::pair<std::string, kb::KnowledgeBase>>;

class PackPrefetch {
 public:
  using Loader = std::function<Packs(const std::string& source)>;
  // Starts load(source) on a thread; an empty `source` starts nothing.
  PackPrefetch(Loader load, std::string source);
  // The packs for `source`: the prefetched ones when they were started for the same source
  // (their load's error, if any, is thrown here, as a direct load would throw it), otherwise
  // loaded now, after the prefetch has ended (its result and error are dropped).
  Packs take(const std::string& source);

 private:
  Loader load_;
  std::string source_;
  std::future<Packs> pending_;  // from std::async: its destructor waits for the thread
};

}  // namespace premigrate::scan
