// JSON output: deterministic (nlohmann objects are std::map, so keys are sorted).
#include "render/render.hpp"

namespace premigrate::render {

std::string to_json_text(const nlohmann::json& doc) {
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

nlohmann::json sanitized(const nlohmann::json& doc) {
  return nlohmann::json::parse(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace premigrate::render
