// Reading and writing pack text: JSON parse errors with line numbers, and the stable writer.
#include "kb/pack_format.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"

namespace premigrate::kb {

std::string read_text_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw core::RunError(file.string() + ": cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json parse_json_text(const std::string& text, const std::string& name) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const auto upto = std::min<std::size_t>(e.byte, text.size());
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(upto), '\n');
    std::string msg = e.what();
    if (auto p = msg.find("parse error"); p != std::string::npos) msg = msg.substr(p);
    throw core::RunError(name + ":" + std::to_string(line) + ": invalid JSON: " + msg);
  } catch (const nlohmann::json::exception& e) {  // e.g. out_of_range 406: a number too large
    throw core::RunError(name + ": invalid JSON: " + e.what());
  }
}

nlohmann::json read_json_file(const std::filesystem::path& file) {
  return parse_json_text(read_text_file(file), file.string());
}

std::string write_pack_text(const nlohmann::json& pack) {
  std::string out = "{\n";
  bool first = true;
  for (const auto& [key, value] : pack.items()) {  // nlohmann::json keeps keys sorted
    if (!first) out += ",\n";
    first = false;
    out += nlohmann::json(key).dump() + ": ";
    if (value.is_array() && !value.empty()) {
      out += "[\n";
      for (std::size_t i = 0; i < value.size(); ++i) {
        out += value[i].dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
        out += i + 1 < value.size() ? ",\n" : "\n";
      }
      out += "]";
    } else {
      out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    }
  }
  out += "\n}\n";
  return out;
}

std::string pack_file_name(const std::string& source, const std::string& target,
                           const std::string& arch) {
  return source + "_to_" + target + "_" + arch + ".json";
}

}  // namespace premigrate::kb
