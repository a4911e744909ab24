// write_json: the report JSON written as it is made. The layout is json::dump(2)'s (sorted
// keys, two-space indent, "key": value, empty containers as {} and []), so the file is the one
// dump(2) would give for the uncapped document; only the evidence lists come from the model.
#include <algorithm>
#include <string>
#include <string_view>

#include "facts/json_text.hpp"
#include "report/report.hpp"

namespace premigrate::report {

namespace {

using Json = nlohmann::json;

// A JSON string as dump() writes it (facts::json_text is byte-identical to it), without a
// json value or a string made per call: a report of 200,000 evidence entries writes a million.
void string(std::ostream& out, std::string_view s) {
  thread_local std::string buf;
  buf.clear();
  facts::json_text::append_string(buf, s);
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void scalar(std::ostream& out, const Json& v) {
  if (v.is_string()) return string(out, v.get_ref<const std::string&>());
  out << v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void indent(std::ostream& out, int depth) {
  static constexpr std::string_view kSpaces = "                                ";
  for (auto n = static_cast<std::size_t>(depth) * 2; n > 0;) {
    const auto k = std::min(n, kSpaces.size());
    out.write(kSpaces.data(), static_cast<std::streamsize>(k));
    n -= k;
  }
}

void value(std::ostream& out, const Json& v, int depth);

// `emit(i)` writes the i-th element at depth + 1.
template <typename Emit>
void array(std::ostream& out, std::size_t n, int depth, Emit emit) {
  if (n == 0) {
    out << "[]";
    return;
  }
  out << "[\n";
  for (std::size_t i = 0; i < n; ++i) {
    indent(out, depth + 1);
    emit(i);
    out << (i + 1 < n ? ",\n" : "\n");
  }
  indent(out, depth);
  out << ']';
}

// An object; `member(key, v)` may write the value itself (returns true) or leave it to value().
template <typename Member>
void object(std::ostream& out, const Json& o, int depth, Member member) {
  if (o.empty()) {
    out << "{}";
    return;
  }
  out << "{\n";
  std::size_t i = 0;
  for (auto it = o.begin(); it != o.end(); ++it, ++i) {
    indent(out, depth + 1);
    string(out, it.key());
    out << ": ";
    if (!member(it.key(), it.value())) value(out, it.value(), depth + 1);
    out << (i + 1 < o.size() ? ",\n" : "\n");
  }
  indent(out, depth);
  out << '}';
}

void value(std::ostream& out, const Json& v, int depth) {
  if (v.is_object()) {
    object(out, v, depth, [](const std::string&, const Json&) { return false; });
  } else if (v.is_array()) {
    array(out, v.size(), depth, [&](std::size_t i) { value(out, v[i], depth + 1); });
  } else {
    scalar(out, v);
  }
}

// One evidence entry as value(evidence_json(e)) writes it: {"detail", "subject"} in key order.
void evidence(std::ostream& out, const Evidence& e, int depth) {
  out << "{\n";
  indent(out, depth + 1);
  out << "\"detail\": ";
  string(out, e.detail);
  out << ",\n";
  indent(out, depth + 1);
  out << "\"subject\": ";
  string(out, e.subject);
  out << '\n';
  indent(out, depth);
  out << '}';
}

// A finding object without its "evidence_total", with the model's evidence in full.
void finding(std::ostream& out, const Json& f, const Finding& model, int depth) {
  Json shown = f;
  shown.erase("evidence_total");
  shown["evidence"] = Json::array();  // the key stays in its sorted place
  object(out, shown, depth, [&](const std::string& key, const Json&) {
    if (key != "evidence") return false;
    array(out, model.evidence.size(), depth + 1,
          [&](std::size_t i) { evidence(out, model.evidence[i], depth + 2); });
    return true;
  });
}

}  // namespace

void write_json(std::ostream& out, const Json& doc, const Report& r) {
  object(out, doc, 0, [&](const std::string& key, const Json& v) {
    if (key != "findings" || !v.is_array() || v.size() != r.findings.size()) return false;
    array(out, v.size(), 1, [&](std::size_t i) { finding(out, v[i], r.findings[i], 2); });
    return true;
  });
  out << '\n';
}

}  // namespace premigrate::report
