// Not compiled: a header of the sample tree that looks harmless and pulls in one that is not.
#pragma once
#include "core/opens_files.hpp"
