// The check id table (checks.hpp).
#include "analyze/checks.hpp"

#include "core/name_table.hpp"

namespace premigrate::analyze {

namespace {
constexpr core::NameTable<Check, 13> kCheckNames{{{
    {Check::kPackages, "packages"},
    {Check::kThirdPartyDependencies, "third-party-dependencies"},
    {Check::kElfLinkage, "elf-linkage"},
    {Check::kElfSymbols, "elf-symbols"},
    {Check::kElfVersionNodes, "elf-version-nodes"},
    {Check::kElfLibraryExports, "elf-library-exports"},
    {Check::kKernelModules, "kernel-modules"},
    {Check::kKernelModuleKabi, "kernel-module-kabi"},
    {Check::kScriptsServices, "scripts-services"},
    {Check::kOpensshKeywords, "openssh-keywords"},
    {Check::kConfig, "config"},
    {Check::kHost, "host"},
    {Check::kFiles, "files"},
}}};
}  // namespace

std::string_view to_string(Check c) { return kCheckNames.name(c); }

}  // namespace premigrate::analyze
