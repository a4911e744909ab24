// Kernel modules (.ko, .ko.xz, .ko.zst, .ko.gz) with their .modinfo and __versions facts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "facts/json_optional.hpp"

namespace premigrate::facts {

struct SymbolCrc {
  std::string symbol;
  std::uint64_t crc = 0;
  bool operator==(const SymbolCrc&) const = default;
};

struct KernelModule {
  std::string path;            // root-relative
  std::string package;         // owning package NEVRA, "" when unowned
  std::string kernel_release;  // the lib/modules/<release> directory it sits in
  std::string compression;     // "", "xz", "zst", "gz"
  std::string name;
  std::string vermagic;
  std::vector<std::string> license;  // every license= tag, in section order, as modinfo lists them
  std::vector<std::string> depends;
  std::string srcversion;
  bool retpoline = false;
  bool intree = false;              // modinfo intree=Y
  bool signature = false;           // appended "~Module signature appended~" trailer present
  std::string location;             // "kernel" | "extra" | "updates" | "weak-updates" | "other"
  bool out_of_tree = false;         // extra/updates/weak-updates, or not owned by a kernel package
  std::string machine;              // ELF machine of the module
  std::vector<SymbolCrc> versions;  // __versions: symbols it needs with CRCs
  std::vector<std::string> undefined;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SymbolCrc, symbol, crc)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(KernelModule, path, package, kernel_release, compression, name,
                                   vermagic, license, depends, srcversion, retpoline, intree,
                                   signature, location, out_of_tree, machine, versions, undefined)

}  // namespace premigrate::facts
