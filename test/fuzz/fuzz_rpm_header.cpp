// Fuzz target: rpm header blobs (the bytes an rpmdb stores per package) imported by librpm's
// headerImport, then every field premigrate extracts (collect::rpmdb::package_from_header).
#include <rpm/header.h>
#include <rpm/rpmlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "collect/rpmdb/rpm_header.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)rpmReadConfigFiles(nullptr, nullptr);  // as the rpmdb reader does before reading
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > (1u << 24)) return 0;
  // HEADERIMPORT_COPY: librpm copies the blob, so the fuzzer's buffer stays its own.
  void* blob = const_cast<std::uint8_t*>(data);
  Header h = headerImport(blob, static_cast<unsigned>(size), HEADERIMPORT_COPY);
  if (h == nullptr) return 0;
  premigrate::core::Diagnostics diags;
  (void)premigrate::collect::rpmdb::package_from_header(h, "/var/lib/rpm/rpmdb.sqlite", 1, diags);
  headerFree(h);
  return 0;
}
