// rpm version comparison (rpmvercmp semantics), delegated to libsolv's pool_evrcmp_str.
#pragma once

#include <string>

namespace premigrate::kb {

// <0, 0, >0 as a is older, equal, newer than b. evr is "[epoch:]version[-release]".
[[nodiscard]] int evr_compare(const std::string& a, const std::string& b);
// The same on epoch:version only (releases ignored).
[[nodiscard]] int version_compare(const std::string& a, const std::string& b);
// True when the leading numeric component of the two versions differs ("2.7" vs "3.6").
[[nodiscard]] bool major_version_differs(const std::string& a, const std::string& b);

}  // namespace premigrate::kb
