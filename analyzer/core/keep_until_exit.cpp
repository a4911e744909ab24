// The process-lifetime list behind keep_until_exit (keep_until_exit.hpp).
#include "core/keep_until_exit.hpp"

#include <mutex>
#include <vector>

namespace premigrate::core {

void keep_until_exit(std::shared_ptr<const void> object) {
  static std::mutex mutex;
  // Never destroyed: a static vector would free its objects at exit, which is the work this
  // avoids. The pointer keeps everything reachable.
  static auto* kept =
      new std::vector<std::shared_ptr<const void>>();  // NOLINT(cppcoreguidelines-owning-memory)
  const std::lock_guard<std::mutex> lock(mutex);
  kept->push_back(std::move(object));
}

}  // namespace premigrate::core
