// Not compiled: a sample repo header that opens files; what an analyze source must not reach.
#pragma once
#include <cstdio>
#include <fstream>
