// Fuzz target: KB pack loading (kb::KnowledgeBase::from_text) and the structural validation of
// `kb validate` (kb::validate_pack). A malformed pack must be a RunError naming the file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "fuzz_input.hpp"
#include "kb/knowledge_base.hpp"
#include "kb/pack_format.hpp"
#include "kb/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace kb = premigrate::kb;
  const std::string text(premigrate::fuzz::as_text(data, size));
  try {
    (void)kb::KnowledgeBase::from_text(text, "fuzz.json");
  } catch (const premigrate::core::RunError&) {
  }
  try {
    const auto pack = kb::parse_json_text(text, "fuzz.json");
    (void)kb::validate_pack(pack, "fuzz.json");
  } catch (const premigrate::core::RunError&) {
  }
  return 0;
}
