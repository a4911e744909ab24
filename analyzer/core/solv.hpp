// libsolv's C headers for C++20 translation units: struct Solvable has a member named
// `requires`, a C++20 keyword, so it is renamed while the headers are read (layout unchanged).
// Also the owning handle of a pool (its repos and solvables go with it).
#pragma once

#include "core/c_handle.hpp"

#define requires solv_requires_
extern "C" {
#include <solv/evr.h>
#include <solv/pool.h>
#include <solv/pool_parserpmrichdep.h>
#include <solv/poolid.h>
#include <solv/repo.h>
}
#undef requires

namespace premigrate::core {
using SolvPool = CHandle<Pool, pool_free>;
}  // namespace premigrate::core
