// Objects a command that is about to exit need not take apart: a large root's inventory, its
// KB packs and the report tree are millions of small allocations, and freeing them one by one
// costs tens of milliseconds of a scan's tail. Handed over here they stay reachable (a leak
// checker counts them as such) until the process ends and the kernel takes the memory back
// whole. Only for a process's last work: nothing handed over is ever released.
#pragma once

#include <memory>

namespace premigrate::core {

// Thread-safe.
void keep_until_exit(std::shared_ptr<const void> object);

}  // namespace premigrate::core
