// PackPrefetch: one std::async load started early, taken or dropped once the facts name the
// source release.
#include "scan/pack_prefetch.hpp"

namespace premigrate::scan {

PackPrefetch::PackPrefetch(Loader load, std::string source)
    : load_(std::move(load)), source_(std::move(source)) {
  if (!source_.empty()) pending_ = std::async(std::launch::async, load_, source_);
}

Packs PackPrefetch::take(const std::string& source) {
  if (pending_.valid()) {
    if (source == source_) return pending_.get();
    pending_.wait();
    pending_ = {};
  }
  return load_(source);
}

}  // namespace premigrate::scan
