// Computes the report page's view model. Only numbers, labels and groupings: the markup,
// including the SVG charts, lives in templates/report.html.mustache.
#include "render/html_view.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "render/first_screen.hpp"

namespace premigrate::render {

namespace {

const nlohmann::json kEmptyArray = nlohmann::json::array();

std::string label(const nlohmann::json& t, const std::string& prefix, const std::string& key) {
  auto it = t.find(prefix + key);
  return (it != t.end() && it->is_string()) ? it->get<std::string>() : key;
}

bool has_arch(const nlohmann::json& f, const std::string& arch) {
  for (const auto& a : arr_of(f, "archs")) {
    if (a.is_string() && a.get<std::string>() == arch) return true;
  }
  return false;
}

// Flattens nested KB metadata into dotted rows so any shape the KB carries can be shown.
void flatten(const nlohmann::json& j, const std::string& prefix, nlohmann::json& rows, int depth) {
  if ((j.is_object() || j.is_array()) && depth < 4 && !j.empty()) {
    for (const auto& [k, v] : j.items()) {
      flatten(v, prefix.empty() ? k : prefix + "." + k, rows, depth + 1);
    }
    return;
  }
  rows.push_back({{"key", prefix}, {"value", j.is_string() ? j.get<std::string>() : j.dump()}});
}

// Whether the page is in Chinese: then a finding's zh wording, when it has one, replaces the
// English (the JSON keeps both).
bool is_zh(const nlohmann::json& t) { return label(t, "", "html_lang").rfind("zh", 0) == 0; }

void use_zh(nlohmann::json& v, const char* text, const char* zh_text) {
  const auto z = str_of(v, zh_text);
  if (!z.empty()) v[text] = z;
}

// The page shows this many evidence entries per finding, then "and N more": one finding with
// 200,000 subjects (a /bin/sh check on a root of scripts) must not make a 70 MB page. The JSON
// report keeps them all.
constexpr std::size_t kEvidenceShown = 50;

nlohmann::json finding_view(const nlohmann::json& f, const nlohmann::json& t) {
  nlohmann::json v = nlohmann::json::object();
  for (const auto& [k, val] : f.items())
    if (k != "evidence") v[k] = val;
  const auto& all = arr_of(f, "evidence");
  // A scan's document already holds at most report::kEvidenceInDocument entries and says how
  // many there were ("evidence_total"); a report read back from JSON holds them all.
  const std::size_t total = f.value("evidence_total", all.size());
  nlohmann::json shown = nlohmann::json::array();
  for (std::size_t i = 0; i < all.size() && i < kEvidenceShown; ++i) shown.push_back(all[i]);
  const std::size_t shown_count = shown.size();
  v["evidence"] = std::move(shown);
  if (total > shown_count) v["evidence_more"] = total - shown_count;
  if (is_zh(t)) {
    use_zh(v, "message", "message_zh");
    use_zh(v, "remediation", "remediation_zh");
  }
  const std::string sev = str_of(f, "severity");
  v["sev_label"] = label(t, "sev_", sev);
  v["rank"] = severity_rank(sev);
  std::string archs;
  for (const auto& a : arr_of(f, "archs"))
    archs += (archs.empty() ? "" : " ") + a.get<std::string>();
  v["arch_list"] = archs;
  v["evidence_count"] = total;
  v["has_evidence"] = !arr_of(f, "evidence").empty();
  v["has_references"] = !arr_of(f, "references").empty();
  const std::string cert = str_of(f, "certainty").empty() ? "observed" : str_of(f, "certainty");
  v["cert"] = cert;
  v["cert_label"] = label(t, "cert_", cert);
  v["has_details"] = !arr_of(f, "evidence").empty() || !str_of(f, "remediation").empty() ||
                     !arr_of(f, "references").empty();
  return v;
}

}  // namespace

std::string str_of(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

const nlohmann::json& arr_of(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return kEmptyArray;
  auto it = j.find(key);
  return (it != j.end() && it->is_array()) ? *it : kEmptyArray;
}

int severity_rank(const std::string& sev) {
  for (int i = 0; i < 5; ++i) {
    if (sev == kSeverities[i]) return 4 - i;
  }
  return -1;
}

nlohmann::json bar_chart(const nlohmann::json& items) {
  constexpr int kRow = 24, kBarMax = 220, kLabelW = 190;
  int max = 0;
  for (const auto& i : items) max = std::max(max, i.value("n", 0));
  nlohmann::json bars = nlohmann::json::array();
  int y = 0;
  for (const auto& i : items) {
    nlohmann::json b = i;
    const int n = i.value("n", 0);
    const int w = max > 0 ? std::max(n > 0 ? 2 : 0, n * kBarMax / max) : 0;
    b["y"] = y + 4;
    b["ty"] = y + 16;
    b["w"] = w;
    b["x"] = kLabelW;
    b["tx"] = kLabelW + w + 6;
    bars.push_back(b);
    y += kRow;
  }
  return {{"bars", bars},
          {"height", std::max(y, kRow)},
          {"width", kLabelW + kBarMax + 60},
          {"empty", items.empty()}};
}

nlohmann::json report_view(const nlohmann::json& report, const nlohmann::json& t) {
  nlohmann::json v;
  const auto& findings = arr_of(report, "findings");
  std::map<std::string, int> sev_counts, cat_counts;
  int waived = 0;
  for (const auto& f : findings) {
    if (f.value("waived", false)) {
      ++waived;
      continue;
    }
    sev_counts[str_of(f, "severity")]++;
    cat_counts[str_of(f, "category")]++;
  }
  // Severity chart and filter list, in severity order.
  nlohmann::json sev_items = nlohmann::json::array();
  for (const char* s : kSeverities) {
    sev_items.push_back({{"key", s}, {"label", label(t, "sev_", s)}, {"n", sev_counts[s]}});
  }
  v["severities"] = sev_items;
  v["sev_chart"] = bar_chart(sev_items);
  // Category chart: most findings first, then by name.
  std::vector<std::pair<std::string, int>> cats(cat_counts.begin(), cat_counts.end());
  std::stable_sort(cats.begin(), cats.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  nlohmann::json cat_items = nlohmann::json::array();
  for (const auto& [c, n] : cats) cat_items.push_back({{"key", c}, {"label", c}, {"n", n}});
  v["cat_chart"] = bar_chart(cat_items);
  std::set<std::string> all_cats;
  for (const auto& f : findings) all_cats.insert(str_of(f, "category"));
  v["categories"] = all_cats;
  v["totals"] = {{"findings", findings.size()},
                 {"unwaived", static_cast<int>(findings.size()) - waived},
                 {"waived", waived}};

  // Verdict cards and the not-run checks grouped across architectures.
  nlohmann::json verdicts = nlohmann::json::array();
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> not_run;
  // The first screen: verdict cards in its order (the host's own architecture first), the top
  // actions and the coverage line (first_screen.hpp).
  auto screen = first_screen(report, 5);
  for (const auto& sv : screen["verdicts"]) {
    nlohmann::json vd = nlohmann::json::object();
    for (const auto& x : arr_of(report, "verdicts"))
      if (str_of(x, "arch") == sv["arch"]) vd = x;
    const std::string verdict = str_of(vd, "verdict");
    nlohmann::json counts = nlohmann::json::array();
    const auto c = vd.find("counts");
    for (const char* s : kSeverities) {
      const int n = (c != vd.end() && c->is_object()) ? c->value(s, 0) : 0;
      if (n > 0) counts.push_back({{"key", s}, {"label", label(t, "sev_", s)}, {"n", n}});
    }
    const auto& nr = arr_of(vd, "checks_not_run");
    verdicts.push_back({{"arch", str_of(vd, "arch")},
                        {"verdict", verdict},
                        {"label", label(t, "verdict_", verdict)},
                        {"explain", label(t, "explain_", verdict)},
                        {"counts", counts},
                        {"not_run_count", nr.size()},
                        {"score", sv["score"]},
                        {"has_score", sv["score"].get<int>() >= 0},
                        {"at_most", sv["score_bound"] == "at_most"},
                        {"cross_arch", sv["cross_arch"]},
                        {"has_not_run", !nr.empty()}});
    for (const auto& n : nr)
      not_run[{str_of(n, "check"), str_of(n, "reason")}].push_back(str_of(vd, "arch"));
  }
  v["verdicts"] = verdicts;
  v["cards_columns"] = std::max<std::size_t>(1, verdicts.size());
  for (auto& a : screen["actions"]) {
    if (is_zh(t)) {
      use_zh(a, "message", "message_zh");
      use_zh(a, "remediation", "remediation_zh");
    }
    a["sev_label"] = label(t, "sev_", a["severity"].get<std::string>());
    a["cert_label"] = label(t, "cert_", a["certainty"].get<std::string>());
  }
  const auto shown_actions = screen["actions"].size();
  screen["has_actions"] = shown_actions > 0;
  screen["more_actions"] = screen["actions_total"].get<std::size_t>() - shown_actions;
  screen["has_more_actions"] = screen["actions_total"].get<std::size_t>() > shown_actions;
  auto& cov = screen["coverage"];
  cov["has_not_run"] = !cov["not_run"].empty();
  cov["not_run_count"] = cov["not_run"].size();
  cov["has_unknown"] = cov["unknown_findings"].get<std::size_t>() > 0;
  v["screen"] = std::move(screen);
  v["packages"] = package_rows(report, is_zh(t));
  v["has_packages"] = !v["packages"].empty();
  v["packages_count"] = v["packages"].size();
  nlohmann::json nr_rows = nlohmann::json::array();
  for (const auto& [k, archs] : not_run) {
    std::string a;
    for (const auto& x : archs) a += (a.empty() ? "" : ", ") + x;
    nr_rows.push_back({{"check", k.first}, {"reason", k.second}, {"archs", a}});
  }
  v["has_not_run"] = !nr_rows.empty();
  v["not_run"] = nr_rows;

  // Findings grouped by the exact set of architectures they apply to, common ones first.
  std::vector<std::string> archs;
  for (const auto& a : arr_of(report, "archs")) {
    if (a.is_string()) archs.push_back(a.get<std::string>());
  }
  std::map<std::string, nlohmann::json> groups;
  std::vector<std::string> group_order;
  for (const auto& f : findings) {
    std::string key;
    for (const auto& a : archs) key += has_arch(f, a) ? a + " " : "";
    auto [it, fresh] = groups.try_emplace(key, nlohmann::json::array());
    if (fresh) group_order.push_back(key);
    it->second.push_back(finding_view(f, t));
  }
  std::stable_sort(group_order.begin(), group_order.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  nlohmann::json gv = nlohmann::json::array();
  for (const auto& key : group_order) {
    std::string title;
    const bool all = !archs.empty() && key.size() == [&] {
      std::size_t n = 0;
      for (const auto& a : archs) n += a.size() + 1;
      return n;
    }();
    if (key.empty()) {
      title = label(t, "", "group_no_arch");
    } else if (all && archs.size() > 1) {
      title = label(t, "", "group_all_archs");
    } else {
      title = key.substr(0, key.size() - 1) + " " + label(t, "", "group_only");
    }
    // Rows come in chunks of kChunkRows, each its own fixed-layout table that the browser
    // lays out only when it scrolls into view (content-visibility), so 10,000 findings load fast.
    constexpr std::size_t kChunkRows = 100;
    nlohmann::json chunks = nlohmann::json::array();
    auto& rows = groups[key];
    for (std::size_t i = 0; i < rows.size(); i += kChunkRows) {
      nlohmann::json part = nlohmann::json::array();
      for (std::size_t j = i; j < rows.size() && j < i + kChunkRows; ++j) {
        part.push_back(std::move(rows[j]));
      }
      chunks.push_back({{"findings", std::move(part)}});
    }
    gv.push_back({{"title", title}, {"chunks", std::move(chunks)}, {"count", rows.size()}});
  }
  v["groups"] = std::move(gv);

  nlohmann::json waived_rows = nlohmann::json::array();
  for (const auto& f : findings) {
    if (f.value("waived", false)) waived_rows.push_back(finding_view(f, t));
  }
  v["has_waived"] = !waived_rows.empty();
  v["waived"] = std::move(waived_rows);

  nlohmann::json kb_rows = nlohmann::json::array();
  if (report.contains("kb") && !report["kb"].is_null()) flatten(report["kb"], "", kb_rows, 0);
  v["has_kb"] = !kb_rows.empty();
  v["kb_rows"] = kb_rows;

  const auto& host = report.value("host", nlohmann::json::object());
  const auto& facts =
      host.is_object() ? host.value("facts", nlohmann::json::object()) : nlohmann::json::object();
  nlohmann::json host_rows = nlohmann::json::array();
  auto add_row = [&](const char* key, const std::string& val) {
    if (!val.empty()) host_rows.push_back({{"label", label(t, "host_", key)}, {"value", val}});
  };
  if (facts.is_object()) {
    const auto osr = facts.value("os_release", nlohmann::json::object());
    add_row("os", str_of(osr, "PRETTY_NAME"));
    add_row("system_release", str_of(facts, "system_release"));
    add_row("source_release", str_of(facts, "source_release"));
    add_row("source_evidence", str_of(facts, "source_release_evidence"));
    auto join = [&](const char* key) {
      std::string s;
      for (const auto& x : arr_of(facts, key)) {
        if (x.is_string()) s += (s.empty() ? "" : ", ") + x.get<std::string>();
      }
      return s;
    };
    add_row("kernels", join("kernels"));
    add_row("architectures", join("architectures"));
    add_row("selinux", str_of(facts, "selinux_mode"));
    add_row("cmdline", str_of(facts, "kernel_cmdline"));
  }
  if (const auto image = host.is_object() ? host.value("image", nlohmann::json()) : nullptr;
      image.is_object()) {
    add_row("image", str_of(image, "name").empty()
                         ? str_of(image, "path")
                         : str_of(image, "name") + " (" + str_of(image, "path") + ")");
    add_row("image_format", str_of(image, "format"));
    add_row("image_os", str_of(image, "root_device").empty()
                            ? ""
                            : str_of(image, "distro") + " " + str_of(image, "os_version") +
                                  ", root " + str_of(image, "root_device"));
    add_row("image_manifest", str_of(image, "manifest_digest"));
    add_row("image_config", str_of(image, "config_digest"));
    std::string layers;
    for (const auto& l : arr_of(image, "layers"))
      if (l.is_string()) layers += (layers.empty() ? "" : ", ") + l.get<std::string>();
    add_row("image_layers", layers);
  }
  v["host_rows"] = host_rows;
  const auto err = report.find("error");
  if (err != report.end() && !err->is_null()) {
    v["error"] = {{"message", err->is_object()   ? str_of(*err, "message")
                              : err->is_string() ? err->get<std::string>()
                                                 : err->dump()}};
  }
  v["has_diagnostics"] = !arr_of(report, "diagnostics").empty();
  return v;
}

}  // namespace premigrate::render
