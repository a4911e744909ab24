// Template loading and rendering shared by the report, diff and fleet pages: kainjow::mustache
// reads the view JSON through a context that converts values only when a tag asks for them.
#include "render/template_engine.hpp"

#include <deque>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "core/errors.hpp"

namespace premigrate::render {

namespace mstch = kainjow::mustache;

namespace {

// The template sees the JSON through this context instead of a converted copy: building
// kainjow's own tree (an unordered_map per object, a copy of every string) and tearing it
// down cost more than rendering the page. Values are turned into kainjow data only when a tag
// asks for them, once per JSON node, with the meaning the engine documents: objects expose
// "_entries" (flat objects only) and "_empty"; empty strings and null are false; numbers are
// their JSON text.
class JsonContext final : public mstch::basic_context<std::string> {
 public:
  explicit JsonContext(const nlohmann::json& root) { push(value_of(root)); }

  void push(const mstch::data* d) override { stack_.push_back(d); }
  void pop() override { stack_.pop_back(); }

  // kainjow's context::get, over JSON: "." is the top of the stack; a plain name is looked up
  // from the top down; a dotted name must resolve entirely from one stack entry.
  const mstch::data* get(const std::string& name) const override {
    if (name == ".") return stack_.back();
    const auto dot = name.find('.');
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (dot == std::string::npos) {
        if (const auto* v = child(*it, name)) return v;
        continue;
      }
      const mstch::data* v = *it;
      std::size_t start = 0;
      while (v != nullptr) {
        const auto end = name.find('.', start);
        v = child(v, name.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
      }
      if (v != nullptr) return v;
    }
    return nullptr;
  }

  const mstch::data* get_partial(const std::string& name) const override {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (const auto* v = child(*it, name)) return v;
    }
    return nullptr;
  }

 private:
  struct Node {
    const nlohmann::json* json;
    bool plain;  // a synthetic {key, value} entry: no "_entries" or "_empty" of its own
  };

  // The member `name` of the object that `parent` stands for; nullptr when `parent` is not an
  // object or has no such member.
  const mstch::data* child(const mstch::data* parent, const std::string& name) const {
    const auto n = nodes_.find(parent);
    if (n == nodes_.end()) return nullptr;
    const nlohmann::json& obj = *n->second.json;
    if (!n->second.plain) {
      if (name == "_empty") return obj.empty() ? &true_ : &false_;
      if (name == "_entries" && flat(obj)) return entries_of(obj);
    }
    const auto it = obj.find(name);
    return it == obj.end() ? nullptr : value_of(*it);
  }

  static bool flat(const nlohmann::json& obj) {
    for (const auto& v : obj) {
      if (v.is_structured()) return false;
    }
    return true;
  }

  const mstch::data* entries_of(const nlohmann::json& obj) const {
    auto [it, fresh] = entries_.try_emplace(&obj, nullptr);
    if (fresh) {
      auto& list = synthetic_.emplace_back(nlohmann::json::array());
      for (const auto& [k, v] : obj.items()) list.push_back({{"key", k}, {"value", v}});
      it->second = &arena_.emplace_back(make(list, true));
      register_items(*it->second, list, true);
    }
    return it->second;
  }

  const mstch::data* value_of(const nlohmann::json& j) const {
    auto [it, fresh] = cache_.try_emplace(&j, nullptr);
    if (fresh) {
      it->second = &arena_.emplace_back(make(j, false));
      if (j.is_object()) nodes_.emplace(it->second, Node{&j, false});
      if (j.is_array()) register_items(*it->second, j, false);
    }
    return it->second;
  }

  // A kainjow value for j. Objects are empty stand-ins (registered in nodes_ by the caller);
  // lists hold one item per element, since kainjow iterates them itself.
  static mstch::data make(const nlohmann::json& j, bool plain_items) {
    switch (j.type()) {
      case nlohmann::json::value_t::object:
        return mstch::data(mstch::data::type::object);
      case nlohmann::json::value_t::array: {
        mstch::data list(mstch::data::type::list);
        for (const auto& v : j) list.push_back(make(v, plain_items));
        return list;
      }
      case nlohmann::json::value_t::string:
        return j.get_ref<const std::string&>().empty()
                   ? mstch::data(mstch::data::type::bool_false)
                   : mstch::data(j.get_ref<const std::string&>());
      case nlohmann::json::value_t::boolean:
        return mstch::data(j.get<bool>() ? mstch::data::type::bool_true
                                         : mstch::data::type::bool_false);
      case nlohmann::json::value_t::null:
        return mstch::data(mstch::data::type::bool_false);
      default:
        return mstch::data(j.dump());
    }
  }

  // The items of a list made by make() stand for the array's elements (recursively).
  void register_items(const mstch::data& list, const nlohmann::json& j, bool plain) const {
    const auto& items = list.list_value();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (j[i].is_object()) nodes_.emplace(&items[i], Node{&j[i], plain});
      if (j[i].is_array()) register_items(items[i], j[i], plain);
    }
  }

  std::vector<const mstch::data*> stack_;
  // Lazily filled while rendering; get() is const in kainjow's interface.
  mutable std::unordered_map<const mstch::data*, Node> nodes_;
  mutable std::unordered_map<const nlohmann::json*, const mstch::data*> cache_;
  mutable std::unordered_map<const nlohmann::json*, const mstch::data*> entries_;
  mutable std::deque<mstch::data> arena_;
  mutable std::deque<nlohmann::json> synthetic_;
  const mstch::data true_{mstch::data::type::bool_true};
  const mstch::data false_{mstch::data::type::bool_false};
};

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
  if (!tpl.is_valid())
    throw core::RunError("template " + path.string() + ": " + tpl.error_message());
  JsonContext ctx(view);
  std::string out = tpl.render(ctx);
  if (!tpl.is_valid())
    throw core::RunError("template " + path.string() + ": " + tpl.error_message());
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

}  // namespace premigrate::render
