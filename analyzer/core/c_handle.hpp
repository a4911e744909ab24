// Owning pointers for C library handles: std::unique_ptr whose deleter is the library's own
// free function, so a handle is released on every path (return, throw) without cleanup code.
#pragma once

#include <memory>

namespace premigrate::core {

// Calls Free on a non-null handle; whatever Free returns (librpm's *Free functions return a
// null handle) is dropped.
template <auto Free>
struct CFree {
  template <class T>
  void operator()(T* p) const noexcept {
    (void)Free(p);
  }
};

// CHandle<Pool, pool_free>; for libraries whose handle type is itself a pointer typedef
// (librpm's rpmts, Header...), CHandle<std::remove_pointer_t<rpmts>, rpmtsFree>.
template <class T, auto Free>
using CHandle = std::unique_ptr<T, CFree<Free>>;

}  // namespace premigrate::core
