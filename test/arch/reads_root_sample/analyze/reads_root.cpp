// Not compiled: a source the include check must reject (test/arch/CMakeLists.txt).
#include <algorithm>
#include <fstream>

#include "core/root_fs.hpp"
