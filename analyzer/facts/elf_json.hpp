// The inventory's ELF objects written as JSON text directly (see elf_json.cpp for why).
#pragma once

#include <string>

#include "facts/elf_object.hpp"

namespace premigrate::facts {

// Appends `o` as compact JSON, byte-identical to nlohmann::json(o).dump(-1, ' ', false,
// error_handler_t::replace).
void append_json(std::string& out, const ElfObject& o);

}  // namespace premigrate::facts
