// An owned directory stream (opendir/fdopendir), closed on destruction.
#pragma once

#include <dirent.h>

#include "core/c_handle.hpp"

namespace premigrate::core {

using DirStream = CHandle<DIR, ::closedir>;

}  // namespace premigrate::core
