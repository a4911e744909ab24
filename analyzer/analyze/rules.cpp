// Rule file loading and validation (yaml-cpp); condition kinds; message templates.
#include "analyze/rules.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "core/errors.hpp"

namespace premigrate::analyze {

const std::vector<KindInfo>& condition_kinds() {
  static const std::vector<KindInfo> kKinds = {
      {"package_fate_in", false, {"fate", "repo", "version_change", "major_jump", "evidence"}},
      {"third_party_package", false, {"reason", "on_target"}},
      {"third_party_on_target", false, {"evidence"}},
      {"unresolved_dependency", false, {"coverage"}},
      {"elf_missing_soname", false, {"coverage"}},
      {"elf_missing_version", false, {"coverage"}},
      {"elf_missing_symbol", false, {}},
      {"elf_unresolved_imports", false, {"fix"}},
      {"elf_link_verified", false, {}},
      {"kmod_kabi_verified", false, {}},
      {"elf_foreign_machine", false, {"machine"}},
      {"elf_32bit", false, {}},
      {"elf_static", false, {}},
      {"elf_go", false, {}},
      {"kmod_out_of_tree", false, {"kabi_gap"}},
      {"package_coverage_gap", false, {}},
      {"kmod_boot_critical", false, {}},
      {"missing_program", false, {"context", "presence"}},
      {"sysv_init_script", false, {}},
      {"config_modified", false, {}},
      {"openssh_keyword_status_in", false, {"file", "status"}},
      {"source_release", false, {"status"}},
      {"host_kernels", false, {}},
      {"host_arch", false, {"relation"}},
      {"waiver_expired", false, {}},
      {"config_line_matches", true, {"files", "pattern"}},
      {"file_exists", true, {"paths"}},
      {"kernel_cmdline_has", true, {"pattern"}},
      {"repo_baseurl_matches", true, {"pattern"}},
      {"package_installed", true, {"names"}},
  };
  return kKinds;
}

const Rule* RuleSet::find(const std::string& id) const {
  for (const auto& r : rules) {
    if (r.id == id) return &r;
    if (std::find(r.aliases.begin(), r.aliases.end(), id) != r.aliases.end()) return &r;
  }
  return nullptr;
}

bool matches_pattern(const std::string& pattern, const std::string& value) {
  if (!pattern.empty() && pattern.back() == '*') {
    return value.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  }
  return pattern == value;
}

bool applies(const Rule& r, const std::string& arch, const std::string& source,
             const std::string& target) {
  auto any = [](const std::vector<std::string>& pats, const std::string& v) {
    return pats.empty() || std::any_of(pats.begin(), pats.end(),
                                       [&](const std::string& p) { return matches_pattern(p, v); });
  };
  return any(r.archs, arch) && any(r.sources, source) && any(r.targets, target);
}

namespace {
std::string counted(const std::string& n, const std::string& forms) {
  const auto bar = forms.find('|');
  const std::string one = forms.substr(0, bar);
  const std::string many = bar == std::string::npos ? one : forms.substr(bar + 1);
  return n + " " + (n == "1" ? one : many);
}
}  // namespace

std::string render_template(const std::string& text,
                            const std::map<std::string, std::string>& vars) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const auto close = text.find('}', i);
      if (close != std::string::npos) {
        const auto inner = text.substr(i + 1, close - i - 1);
        const auto bar = inner.find('|');
        auto it = vars.find(inner.substr(0, bar));
        if (it != vars.end()) {
          // "{count|object|objects}": the number and the noun that agrees with it.
          out += bar == std::string::npos ? it->second : counted(it->second, inner.substr(bar + 1));
          i = close;
          continue;
        }
      }
    }
    out += text[i];
  }
  return out;
}

namespace {

[[noreturn]] void fail(const std::string& file, const YAML::Node& n, const std::string& what) {
  std::string where = file;
  if (n.IsDefined() && n.Mark().line >= 0) where += ":" + std::to_string(n.Mark().line + 1);
  throw core::RunError(where + ": " + what);
}

std::string req_string(const YAML::Node& doc, const char* key, const std::string& file) {
  const auto n = doc[key];
  if (!n || !n.IsScalar() || n.as<std::string>().empty())
    fail(file, doc, std::string("missing or empty '") + key + "'");
  return n.as<std::string>();
}

std::vector<std::string> string_list(const YAML::Node& n, const std::string& file,
                                     const std::string& what) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) return {n.as<std::string>()};
  if (!n.IsSequence()) fail(file, n, what + " must be a string or a list of strings");
  for (const auto& e : n) {
    if (!e.IsScalar()) fail(file, e, what + " must hold strings");
    out.push_back(e.as<std::string>());
  }
  return out;
}

// "file:line: what" from a yaml-cpp exception: a syntax error, or a value of the wrong shape
// met by a conversion (a list where a string belongs).
core::RunError yaml_error(const std::string& file, const YAML::Exception& e) {
  const std::string where = e.mark.is_null() ? file : file + ":" + std::to_string(e.mark.line + 1);
  return core::RunError(where + ": " + e.msg);
}

Rule rule_from_doc(const YAML::Node& doc, const std::string& file);

}  // namespace

Rule parse_rule(const std::string& text, const std::string& file) {
  try {
    return rule_from_doc(YAML::Load(text), file);
  } catch (const YAML::Exception& e) {
    throw yaml_error(file, e);
  }
}

namespace {

Rule rule_from_doc(const YAML::Node& doc, const std::string& file) {
  if (!doc.IsMap()) throw core::RunError(file + ": a rule file holds one YAML mapping");
  if (!doc["schema_version"] || doc["schema_version"].as<std::string>() != "1")
    fail(file, doc, "schema_version must be 1");
  static const std::set<std::string> kKeys = {
      "schema_version",    "id",         "aliases",    "title",     "category",
      "severity",          "applies_to", "condition",  "finding",   "message",
      "remediation",       "rationale",  "references", "certainty", "group_message",
      "group_remediation", "zh"};
  for (const auto& kv : doc) {
    if (!kKeys.count(kv.first.as<std::string>()))
      fail(file, kv.first, "unknown key '" + kv.first.as<std::string>() + "'");
  }
  Rule r;
  r.file = file;
  r.id = req_string(doc, "id", file);
  r.aliases = string_list(doc["aliases"], file, "aliases");
  r.title = req_string(doc, "title", file);
  r.category = req_string(doc, "category", file);
  const auto sev = report::parse_severity(req_string(doc, "severity", file));
  if (!sev) fail(file, doc["severity"], "severity must be blocker, high, medium, low or info");
  r.severity = *sev;
  if (const auto a = doc["applies_to"]) {
    if (!a.IsMap()) fail(file, a, "applies_to must be a mapping");
    for (const auto& kv : a) {
      const auto k = kv.first.as<std::string>();
      auto v = string_list(kv.second, file, "applies_to." + k);
      if (k == "archs") {
        r.archs = v;
      } else if (k == "sources") {
        r.sources = v;
      } else if (k == "targets") {
        r.targets = v;
      } else {
        fail(file, kv.first, "applies_to accepts archs, sources and targets, not " + k);
      }
    }
  }
  const auto c = doc["condition"];
  if (!c || !c.IsMap()) fail(file, doc, "missing 'condition' mapping");
  r.condition.kind = req_string(c, "kind", file);
  const auto& kinds = condition_kinds();
  auto kind = std::find_if(kinds.begin(), kinds.end(),
                           [&](const KindInfo& k) { return k.name == r.condition.kind; });
  if (kind == kinds.end())
    fail(file, c["kind"], "unknown condition kind '" + r.condition.kind + "'");
  for (const auto& kv : c) {
    const auto k = kv.first.as<std::string>();
    if (k == "kind") continue;
    if (std::find(kind->params.begin(), kind->params.end(), k) == kind->params.end())
      fail(file, kv.first, "condition kind " + kind->name + " has no parameter '" + k + "'");
    r.condition.params[k] = string_list(kv.second, file, "condition." + k);
  }
  if (kind->probe) {
    for (const auto& p : kind->params) {
      if (!r.condition.params.count(p))
        fail(file, c, "condition kind " + kind->name + " needs '" + p + "'");
    }
  }
  if (const auto f = doc["finding"]) {
    if (!f.IsScalar() || !YAML::convert<bool>::decode(f, r.finding))
      fail(file, f, "finding must be true or false");
  }
  if (const auto ce = doc["certainty"]) {
    r.certainty = ce.IsScalar() ? ce.as<std::string>() : std::string();
    if (r.certainty != "observed" && r.certainty != "unknown")
      fail(file, ce, "certainty must be observed or unknown");
  }
  r.message = req_string(doc, "message", file);
  r.remediation = req_string(doc, "remediation", file);
  r.rationale = req_string(doc, "rationale", file);
  if (doc["group_message"] || doc["group_remediation"]) {
    r.group_message = req_string(doc, "group_message", file);
    r.group_remediation = req_string(doc, "group_remediation", file);
  }
  if (const auto z = doc["zh"]) {
    if (!z.IsMap()) fail(file, z, "zh must be a mapping of message, remediation (and group_*)");
    for (const auto& kv : z) {
      const auto k = kv.first.as<std::string>();
      if (k != "message" && k != "remediation" && k != "group_message" && k != "group_remediation")
        fail(file, kv.first, "zh accepts message, remediation, group_message, group_remediation");
    }
    r.zh_message = req_string(z, "message", file);
    r.zh_remediation = req_string(z, "remediation", file);
    if (!r.group_message.empty()) {
      r.zh_group_message = req_string(z, "group_message", file);
      r.zh_group_remediation = req_string(z, "group_remediation", file);
    }
  }
  r.references = string_list(doc["references"], file, "references");
  if (r.references.empty()) fail(file, doc, "a rule needs at least one reference");
  return r;
}

}  // namespace

RuleSet make_rule_set(std::vector<Rule> rules) {
  RuleSet set;
  set.rules = std::move(rules);
  std::set<std::string> ids;
  for (const auto& r : set.rules) {
    for (const auto& id : [&] {
           auto v = r.aliases;
           v.push_back(r.id);
           return v;
         }()) {
      if (!ids.insert(id).second)
        throw core::RunError(r.file + ": rule id " + id + " is defined twice");
    }
  }
  std::sort(set.rules.begin(), set.rules.end(),
            [](const Rule& a, const Rule& b) { return a.id < b.id; });
  return set;
}

}  // namespace premigrate::analyze
