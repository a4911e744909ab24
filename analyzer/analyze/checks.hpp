// The built-in checks, the closed set a "check not run" names besides rule ids (rules are data:
// a probe rule that could not run is named by its id). docs/checks.md describes each.
#pragma once

#include <string_view>

namespace premigrate::analyze {

enum class Check {
  kPackages,
  kThirdPartyDependencies,
  kElfLinkage,
  kElfSymbols,
  kElfVersionNodes,
  kElfLibraryExports,
  kKernelModules,
  kKernelModuleKabi,
  kScriptsServices,
  kOpensshKeywords,
  kConfig,
  kHost,
  kFiles,  // the walk: files it could not read are listed for the record
};

// "packages", "third-party-dependencies", "elf-linkage", ...: the id reports carry.
[[nodiscard]] std::string_view to_string(Check c);

}  // namespace premigrate::analyze
