// Pack validator: required fields, types, row shapes, coverage entries and dataset references.
#include "kb/validate.hpp"

#include <algorithm>

#include "core/arch.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "kb/model.hpp"
#include "kb/pack_format.hpp"

namespace premigrate::kb {

using nlohmann::json;

namespace {

enum class Col { kStr, kInt, kBool, kStrList };

struct Table {
  const char* key;
  std::vector<Col> cols;
  std::size_t dataset_col;
};

const Table kTables[] = {
    {"binary_packages", {Col::kStr, Col::kStr, Col::kStr, Col::kStr, Col::kStr, Col::kInt}, 5},
    {"source_packages", {Col::kStr, Col::kStr, Col::kInt}, 2},
    {"source_versions", {Col::kStr, Col::kStr, Col::kInt}, 2},
    {"dropped_packages", {Col::kStr, Col::kInt}, 1},
    {"evolution",
     {Col::kStr, Col::kStrList, Col::kStr, Col::kStrList, Col::kStr, Col::kStr, Col::kStr,
      Col::kInt, Col::kStr},
     7},
    {"provides", {Col::kStr, Col::kStr, Col::kStr, Col::kInt}, 3},
    {"files", {Col::kStr, Col::kStr, Col::kInt}, 2},
    {"kabi", {Col::kStr, Col::kStr, Col::kStr, Col::kStr, Col::kBool, Col::kInt}, 5},
    {"source_kabi", {Col::kStr, Col::kStr, Col::kStr, Col::kStr, Col::kBool, Col::kInt}, 5},
    {"openssh_sshd_config", {Col::kStr, Col::kStr}, 99},
    {"openssh_ssh_config", {Col::kStr, Col::kStr}, 99},
    {"export_libraries",
     {Col::kStr, Col::kStr, Col::kStr, Col::kStr, Col::kStrList, Col::kBool, Col::kInt},
     6},
    {"export_symbols", {Col::kStr, Col::kStr, Col::kStr}, 99},
};

bool col_ok(const json& v, Col c) {
  switch (c) {
    case Col::kStr:
      return v.is_string();
    case Col::kInt:
      return v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0);
    case Col::kBool:
      return v.is_boolean();
    case Col::kStrList:
      return v.is_array() &&
             std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); });
  }
  return false;
}

// Format checks by hand rather than std::regex: libstdc++'s matcher recurses per character and a
// hostile pack with a long string would exhaust the stack.
bool all_of_chars(std::string_view s, bool (*ok)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), ok);
}
bool digit(char c) { return c >= '0' && c <= '9'; }
bool lower_alnum(char c) { return digit(c) || (c >= 'a' && c <= 'z'); }
bool digit_or_dot(char c) { return digit(c) || c == '.'; }
bool id_char(char c) { return lower_alnum(c) || c == '.' || c == '-'; }

bool build_char(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '-'; }
bool is_semver(std::string_view s) {  // \d+\.\d+\.\d+(\+build)?: `kb sync` adds "+sync.<stamp>"
  if (const auto plus = s.find('+'); plus != std::string_view::npos) {
    if (!all_of_chars(s.substr(plus + 1), build_char)) return false;
    s = s.substr(0, plus);
  }
  const auto a = s.find('.');
  const auto b = a == std::string_view::npos ? a : s.find('.', a + 1);
  if (b == std::string_view::npos) return false;
  return all_of_chars(s.substr(0, a), digit) && all_of_chars(s.substr(a + 1, b - a - 1), digit) &&
         all_of_chars(s.substr(b + 1), digit);
}
bool is_date(std::string_view s) { return core::is_calendar_date(s); }
bool is_release(std::string_view s) {  // [a-z0-9]+-[0-9.]+
  const auto dash = s.find('-');
  return dash != std::string_view::npos && all_of_chars(s.substr(0, dash), lower_alnum) &&
         all_of_chars(s.substr(dash + 1), digit_or_dot);
}
bool is_arch(std::string_view s) { return core::parse_arch(s).has_value(); }
bool is_target_id(std::string_view s) {  // [a-z0-9][a-z0-9.\-]*
  return !s.empty() && lower_alnum(s[0]) && std::all_of(s.begin(), s.end(), id_char);
}

void check_pack(const json& pack, const std::string& name, std::vector<std::string>& out);

}  // namespace

std::vector<std::string> validate_pack(const json& pack, const std::string& name) {
  std::vector<std::string> out;
  if (!pack.is_object()) return {name + ": not a JSON object"};
  try {
    check_pack(pack, name, out);
  } catch (const json::exception& e) {  // a shape the checks above did not foresee
    out.push_back(name + ": malformed KB pack: " + e.what());
  }
  return out;
}

namespace {

void check_pack(const json& pack, const std::string& name, std::vector<std::string>& out) {
  auto bad = [&](const std::string& where, const std::string& what) {
    out.push_back(name + ": " + where + ": " + what);
  };
  if (!pack.contains("schema_version") || !pack["schema_version"].is_number_integer() ||
      pack["schema_version"].get<std::int64_t>() != kPackSchemaVersion) {
    bad("schema_version",
        "unknown schema version (expected " + std::to_string(kPackSchemaVersion) + ")");
    return;
  }
  auto str = [&](const char* k, bool (*format_ok)(std::string_view)) {
    if (!pack.contains(k) || !pack[k].is_string()) return bad(k, "missing or not a string");
    if (!format_ok(pack[k].get<std::string>()))
      bad(k, "bad format '" + pack[k].get<std::string>() + "'");
  };
  str("kb_version", is_semver);
  str("build_date", is_date);
  str("source_release", is_release);
  str("arch", is_arch);
  const auto& t = pack.value("target", json());
  if (!t.is_object())
    bad("target", "missing or not an object");
  else {
    for (const char* k : {"id", "family", "name", "line"})
      if (!t.contains(k) || !t[k].is_string())
        bad(std::string("target.") + k, "missing or not a string");
    if (t.contains("id") && t["id"].is_string() && !is_target_id(t["id"].get<std::string>()))
      bad("target.id", "target ids are lower case");
    if (!t.contains("lts") || !t["lts"].is_boolean()) bad("target.lts", "missing or not a boolean");
    if (!t.contains("version") || !t["version"].is_array())
      bad("target.version", "missing or not an array");
  }
  std::size_t n_datasets = 0;
  if (!pack.contains("datasets") || !pack["datasets"].is_array())
    bad("datasets", "missing or not an array");
  else {
    n_datasets = pack["datasets"].size();
    std::size_t i = 0;
    for (const auto& d : pack["datasets"]) {
      const auto where = "datasets[" + std::to_string(i++) + "]";
      if (!d.is_object()) {
        bad(where, "not an object");
        continue;
      }
      for (const char* k : {"id", "importer", "name", "origin", "commit", "date", "licence",
                            "derived_from", "note"})
        if (!d.contains(k) || !d[k].is_string()) bad(where + "." + k, "missing or not a string");
      for (const char* k : {"facts", "files"})
        if (!d.contains(k) || !col_ok(d[k], Col::kStrList))
          bad(where + "." + k, "missing or not a list of strings");
      for (const char* k : {"rows", "rows_in_pack"})
        if (!d.contains(k) || !col_ok(d[k], Col::kInt))
          bad(where + "." + k, "missing or not a count");
      if (d.contains("origin") && d["origin"].is_string() && d["origin"].get<std::string>().empty())
        bad(where + ".origin", "provenance needs an origin");
    }
  }
  if (!pack.contains("coverage") || !pack["coverage"].is_object())
    bad("coverage", "missing or not an object");
  else {
    for (const char* fact : kFactKinds) {
      const auto where = std::string("coverage.") + fact;
      if (!pack["coverage"].contains(fact)) {
        bad(where, "missing");
        continue;
      }
      const auto& c = pack["coverage"][fact];
      if (!c.is_object()) {
        bad(where, "not an object");
        continue;
      }
      const auto st = c.contains("status") && c["status"].is_string()
                          ? c["status"].get<std::string>()
                          : std::string();
      if (st != "complete" && st != "partial" && st != "unknown")
        bad(where + ".status", "not complete/partial/unknown");
      if (!c.contains("reason") || !c["reason"].is_string())
        bad(where + ".reason", "missing");
      else if (st != "complete" && c["reason"].get<std::string>().empty())
        bad(where + ".reason", "a partial or unknown fact needs a reason");
      if (!c.contains("datasets") || !col_ok(c["datasets"], Col::kStrList))
        bad(where + ".datasets", "missing or not a list");
    }
  }
  for (const auto& tb : kTables) {
    if (!pack.contains(tb.key)) {
      // Export lists came later: a pack without them has no exports (coverage says so).
      if (std::string(tb.key).rfind("export_", 0) != 0) bad(tb.key, "missing");
      continue;
    }
    const auto& rows = pack[tb.key];
    if (!rows.is_array()) {
      bad(tb.key, "not an array");
      continue;
    }
    std::size_t i = 0, errors = 0;
    for (const auto& r : rows) {
      const auto where = std::string(tb.key) + "[" + std::to_string(i++) + "]";
      if (errors > 20) break;
      if (!r.is_array() || r.size() != tb.cols.size()) {
        bad(where, "expected " + std::to_string(tb.cols.size()) + " columns");
        ++errors;
        continue;
      }
      for (std::size_t c = 0; c < tb.cols.size(); ++c)
        if (!col_ok(r[c], tb.cols[c])) {
          bad(where + "[" + std::to_string(c) + "]", "wrong type");
          ++errors;
        }
      if (tb.dataset_col < r.size() && col_ok(r[tb.dataset_col], Col::kInt) &&
          r[tb.dataset_col].get<std::size_t>() >= n_datasets) {
        bad(where, "names dataset " + std::to_string(r[tb.dataset_col].get<std::size_t>()) +
                       " of " + std::to_string(n_datasets));
        ++errors;
      }
    }
  }
  for (const char* k : {"kernel", "openssh"}) {
    if (!pack.contains(k) || !pack[k].is_object()) {
      bad(k, "missing or not an object");
      continue;
    }
    const auto& ds = pack[k].value("dataset", json());
    if (!ds.is_null() && !(col_ok(ds, Col::kInt) && ds.get<std::size_t>() < n_datasets))
      bad(std::string(k) + ".dataset", "not null or a dataset index");
  }
  if (pack.contains("kernel") && pack["kernel"].is_object())
    for (const char* k : {"version", "release_at_snapshot"})
      if (!pack["kernel"].contains(k) || !pack["kernel"][k].is_string())
        bad(std::string("kernel.") + k, "missing or not a string");
  if (pack.contains("openssh") && pack["openssh"].is_object() &&
      (!pack["openssh"].contains("version") || !pack["openssh"]["version"].is_string()))
    bad("openssh.version", "missing or not a string");
}

}  // namespace

std::vector<std::string> validate_dir(const std::filesystem::path& dir, std::size_t& checked) {
  std::vector<std::string> out;
  const auto packs = std::filesystem::is_directory(dir / "packs") ? dir / "packs" : dir;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(packs, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  if (ec) return {packs.string() + ": cannot list: " + ec.message()};
  std::sort(files.begin(), files.end());
  checked = 0;
  for (const auto& f : files) {
    ++checked;
    json pack;
    try {
      pack = read_json_file(f);
    } catch (const core::RunError& e) {
      out.emplace_back(e.what());
      continue;
    }
    auto problems = validate_pack(pack, f.string());
    if (problems.empty()) {
      const auto expect =
          pack_file_name(pack["source_release"].get<std::string>(),
                         pack["target"]["id"].get<std::string>(), pack["arch"].get<std::string>());
      if (f.filename() != expect)
        problems.push_back(f.string() + ": file name does not match its migration path (" + expect +
                           ")");
    }
    out.insert(out.end(), problems.begin(), problems.end());
  }
  return out;
}

}  // namespace premigrate::kb
