// Defensive report JSON readers shared by diff and fleet.
#include "compare/json_read.hpp"

#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "report/severity.hpp"

namespace premigrate::compare {

namespace {
const nlohmann::json kEmptyArray = nlohmann::json::array();
const nlohmann::json kEmptyObject = nlohmann::json::object();
}  // namespace

std::string str_at(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

const nlohmann::json& arr_at(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return kEmptyArray;
  auto it = j.find(key);
  return (it != j.end() && it->is_array()) ? *it : kEmptyArray;
}

const nlohmann::json& obj_at(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return kEmptyObject;
  auto it = j.find(key);
  return (it != j.end() && it->is_object()) ? *it : kEmptyObject;
}

int severity_rank(const std::string& sev) {
  const auto s = report::parse_severity(sev);
  return s ? static_cast<int>(*s) : -1;
}

nlohmann::json load_report(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::RunError("cannot read report " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw core::RunError("cannot read report " + path.string());
  return parse_report(text.str(), path.string());
}

nlohmann::json parse_report(std::string_view text, const std::string& name) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw core::RunError("report " + name + ": not JSON: " + e.what());
  }
  const bool v1 = j.is_object() && j.contains("schema_version") &&
                  j["schema_version"].is_number_integer() && j["schema_version"] == 1;
  if (!v1 || str_at(obj_at(j, "tool"), "name") != "premigrate") {
    throw core::RunError("report " + name + ": not a premigrate report of schema_version 1");
  }
  return j;
}

}  // namespace premigrate::compare
