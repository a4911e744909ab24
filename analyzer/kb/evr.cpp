// libsolv's rpm version comparison; a private pool set to rpm semantics.
#include "kb/evr.hpp"

#include <memory>

#include "core/solv.hpp"

namespace premigrate::kb {

namespace {

const Pool* rpm_pool() {
  static const core::SolvPool pool([] {
    Pool* p = pool_create();
    pool_setdisttype(p, DISTTYPE_RPM);
    return p;
  }());
  return pool.get();
}

// The leading run of digits of the version part (after any epoch).
std::string major_of(const std::string& evr) {
  auto v = evr.substr(evr.find(':') == std::string::npos ? 0 : evr.find(':') + 1);
  std::string out;
  for (char ch : v) {
    if (ch < '0' || ch > '9') break;
    out += ch;
  }
  while (out.size() > 1 && out.front() == '0') out.erase(0, 1);
  return out;
}

}  // namespace

int evr_compare(const std::string& a, const std::string& b) {
  return pool_evrcmp_str(rpm_pool(), a.c_str(), b.c_str(), EVRCMP_COMPARE);
}

int version_compare(const std::string& a, const std::string& b) {
  return pool_evrcmp_str(rpm_pool(), a.c_str(), b.c_str(), EVRCMP_COMPARE_EVONLY);
}

bool major_version_differs(const std::string& a, const std::string& b) {
  const auto ma = major_of(a), mb = major_of(b);
  return !ma.empty() && !mb.empty() && ma != mb;
}

}  // namespace premigrate::kb
