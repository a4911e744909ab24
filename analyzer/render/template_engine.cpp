// Template loading and JSON -> mustache data conversion shared by the report, diff and fleet
// pages.
#include "render/template_engine.hpp"

#include <fstream>
#include <sstream>

#include <kainjow/mustache.hpp>

#include "core/errors.hpp"

namespace premigrate::render {

namespace mstch = kainjow::mustache;

namespace {

mstch::data flag(bool b) {
  return mstch::data(b ? mstch::data::type::bool_true : mstch::data::type::bool_false);
}

// kainjow's set() and push_back() copy their argument, and a copy of a nested value is deep:
// building the tree with them costs O(depth x size). Values are moved in instead: objects
// through operator[] and move assignment; lists through the vector list_value() views (the
// vector itself is not const, so the const_cast is well-defined).
void append(mstch::data& list, mstch::data&& item) {
  const_cast<mstch::basic_list<std::string>&>(list.list_value()).push_back(std::move(item));
}

mstch::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mstch::data obj(mstch::data::type::object);
      // "_entries" lists {key, value} so templates can iterate maps such as counts by
      // severity. Only flat maps get it: copying nested objects again at every level would
      // grow the data exponentially with depth.
      bool flat = true;
      for (const auto& [k, v] : j.items()) {
        obj[k] = to_data(v);
        flat = flat && !v.is_structured();
      }
      if (flat) {
        mstch::data entries(mstch::data::type::list);
        for (const auto& [k, v] : j.items()) {
          mstch::data e(mstch::data::type::object);
          e["key"] = mstch::data(k);
          e["value"] = to_data(v);
          append(entries, std::move(e));
        }
        obj["_entries"] = std::move(entries);
      }
      obj["_empty"] = flag(j.empty());
      return obj;
    }
    case nlohmann::json::value_t::array: {
      mstch::data list(mstch::data::type::list);
      for (const auto& v : j) append(list, to_data(v));
      return list;
    }
    case nlohmann::json::value_t::string:
      // An empty string is false, so {{#x}}...{{/x}} reads "when x is set"; it renders as "".
      return j.get_ref<const std::string&>().empty() ? flag(false)
                                                    : mstch::data(j.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return flag(j.get<bool>());
    case nlohmann::json::value_t::null:
      return flag(false);
    default:
      return mstch::data(j.dump());
  }
}

std::string read_text(const std::filesystem::path& p, const char* what) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw core::RunError(std::string("cannot read ") + what + " " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string render_template(const std::filesystem::path& templates_dir, const std::string& name,
                            const nlohmann::json& view) {
  const auto path = templates_dir / name;
  mstch::mustache tpl(read_text(path, "template"));
  if (!tpl.is_valid()) throw core::RunError("template " + path.string() + ": " + tpl.error_message());
  std::string out = tpl.render(to_data(view));
  if (!tpl.is_valid()) throw core::RunError("template " + path.string() + ": " + tpl.error_message());
  return out;
}

nlohmann::json load_strings(const std::filesystem::path& templates_dir, const std::string& lang) {
  const auto path = templates_dir / "i18n" / (lang + ".json");
  try {
    auto j = nlohmann::json::parse(read_text(path, "UI strings"));
    if (!j.is_object()) throw core::RunError("UI strings " + path.string() + ": not an object");
    return j;
  } catch (const nlohmann::json::exception& e) {
    throw core::RunError("UI strings " + path.string() + ": " + e.what());
  }
}

const std::vector<std::string>& languages() {
  static const std::vector<std::string> kLangs = {"en", "zh"};
  return kLangs;
}

}  // namespace premigrate::render
