// Internal to collect/kmod: reads a module's ELF sections (.modinfo, __versions, .symtab,
// .gnu.linkonce.this_module) from an open libelf handle, and its signature trailer.
#pragma once

#include <gelf.h>

#include <cstddef>
#include <string>

#include "core/diagnostics.hpp"
#include "facts/kernel_module.hpp"

namespace premigrate::collect::kmod::detail {

// Fills name (when .modinfo has one), vermagic, license, depends, srcversion, retpoline,
// intree, machine, versions and undefined. Returns false (with a diagnostic) when the
// object is not usable ELF at all.
bool read_module_sections(Elf* elf, const std::string& path, core::Diagnostics& diags,
                          facts::KernelModule& out);

// Kernel module signing (scripts/sign-file.c): the signature, then a 12-byte
// struct module_signature whose last field is the big-endian signature length, then the
// 28-byte magic "~Module signature appended~\n". `tail` holds the last bytes of the module.
struct SignatureCheck {
  bool present = false;      // the magic is there
  bool consistent = false;   // and the declared length fits the file
};
inline constexpr std::size_t kSignatureTrailer = 12 + 28;
SignatureCheck check_signature(const unsigned char* tail, std::size_t tail_size,
                               std::size_t module_size);

}  // namespace premigrate::collect::kmod::detail
