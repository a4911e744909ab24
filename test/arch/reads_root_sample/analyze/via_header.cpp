// Not compiled: includes no I/O header itself, but reaches <fstream> through two repo headers.
#include <string>

#include "kb/innocent.hpp"
