// Lower CPU and IO priority for scans on production hosts (--low-priority): nice 19 and the
// idle IO scheduling class, so the scan only uses what the host's own work leaves free.
#pragma once

#include <string>

namespace premigrate::core {

struct PriorityChange {
  bool cpu = false;     // nice value is now 19
  bool io = false;      // IO class is now idle
  std::string problem;  // why a part failed; empty when both took effect
};

// Lowers the calling thread's CPU priority (setpriority, nice 19) and IO priority (ioprio_set,
// IOPRIO_CLASS_IDLE). On Linux both are per thread and inherited by threads created later, so
// call it before any worker thread starts. Never raises a priority; needs no privilege.
[[nodiscard]] PriorityChange lower_priority();

// The calling thread's nice value and IO scheduling class (ioprio_get(2): 0 none, 1 realtime,
// 2 best-effort, 3 idle; -1 when it cannot be read).
[[nodiscard]] int nice_value();
[[nodiscard]] int io_class();

inline constexpr int kLowestNice = 19;
inline constexpr int kIoClassIdle = 3;

}  // namespace premigrate::core
