// Independent jobs on a few threads (the per-arch analyses, the report formats), with a result
// that does not depend on the interleaving: each job writes only its own slot.
#pragma once

#include <cstddef>
#include <functional>

namespace premigrate::core {

// Runs job(0) .. job(n - 1), on at most `max_threads` threads (the calling one included, and no
// more than the machine's cores); returns when all have finished. When jobs throw, the exception
// of the lowest index is rethrown, as a loop in index order would have (the others still ran).
void run_parallel_jobs(std::size_t n, unsigned max_threads,
                       const std::function<void(std::size_t)>& job);

}  // namespace premigrate::core
