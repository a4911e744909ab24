// setpriority(2) and ioprio_set(2); glibc has no wrapper for the latter, so it goes through
// syscall(2) with the constants of linux/ioprio.h.
#include "core/priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace premigrate::core {

namespace {
// linux/ioprio.h: the class sits above a 13-bit per-class level; "who" 1 is a process (with
// id 0 the calling thread).
constexpr int kIoprioClassShift = 13;
constexpr int kIoprioWhoProcess = 1;

long ioprio_get_self() { return ::syscall(SYS_ioprio_get, kIoprioWhoProcess, 0); }
}  // namespace

PriorityChange lower_priority() {
  PriorityChange r;
  if (::setpriority(PRIO_PROCESS, 0, kLowestNice) == 0) {
    r.cpu = true;
  } else {
    r.problem = std::string("setpriority(nice ") + std::to_string(kLowestNice) +
                "): " + std::strerror(errno);
  }
  const long value = static_cast<long>(kIoClassIdle) << kIoprioClassShift;
  if (::syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, value) == 0) {
    r.io = true;
  } else {
    r.problem += std::string(r.problem.empty() ? "" : "; ") +
                 "ioprio_set(idle class): " + std::strerror(errno);
  }
  return r;
}

int nice_value() {
  errno = 0;
  const int n = ::getpriority(PRIO_PROCESS, 0);
  return errno == 0 ? n : 0;
}

int io_class() {
  const long v = ioprio_get_self();
  return v < 0 ? -1 : static_cast<int>(v >> kIoprioClassShift);
}

}  // namespace premigrate::core
