// Owning handles for librpm objects (collect/rpmdb reads the rpmdb, kb/rpm reads packages).
// Header-only: it names librpm's types, so only modules that link librpm include it.
#pragma once

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmds.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmfiles.h>
#include <rpm/rpmio.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmtd.h>
#include <rpm/rpmts.h>

#include <type_traits>

#include "core/c_handle.hpp"

namespace premigrate::core::rpm {

using Ts = CHandle<std::remove_pointer_t<rpmts>, rpmtsFree>;
using DbIterator = CHandle<std::remove_pointer_t<rpmdbMatchIterator>, rpmdbFreeIterator>;
using HeaderRef = CHandle<std::remove_pointer_t<Header>, headerFree>;
using Files = CHandle<std::remove_pointer_t<rpmfiles>, rpmfilesFree>;
using FileIterator = CHandle<std::remove_pointer_t<rpmfi>, rpmfiFree>;
using Deps = CHandle<std::remove_pointer_t<rpmds>, rpmdsFree>;
using DigParams = CHandle<std::remove_pointer_t<pgpDigParams>, pgpDigParamsFree>;
using File = CHandle<std::remove_pointer_t<FD_t>, Fclose>;

// A tag container together with the data headerGet put in it.
struct TdFree {
  void operator()(rpmtd td) const noexcept {
    rpmtdFreeData(td);
    (void)rpmtdFree(td);
  }
};
using Td = std::unique_ptr<std::remove_pointer_t<rpmtd>, TdFree>;

}  // namespace premigrate::core::rpm
