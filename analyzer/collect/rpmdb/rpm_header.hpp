// Converts one rpm Header into a facts::Package (NEVRA, provenance tags, signature,
// dependencies, file list).
#pragma once

#include <rpm/header.h>

#include <string>

#include "core/diagnostics.hpp"
#include "facts/package.hpp"

namespace premigrate::collect::rpmdb {

// `where` names the header for diagnostics ("/var/lib/rpm/Packages header #12").
[[nodiscard]] facts::Package package_from_header(Header h, const std::string& db_path,
                                                 unsigned instance, core::Diagnostics& diags);

}  // namespace premigrate::collect::rpmdb
