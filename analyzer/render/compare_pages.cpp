// HTML pages of `diff` and `fleet`: their JSON documents plus labels and chart numbers,
// rendered through templates/diff.html.mustache and templates/fleet.html.mustache.
#include <algorithm>
#include <cstdio>

#include "render/html_view.hpp"
#include "render/render.hpp"
#include "render/template_engine.hpp"
#include "report/verdict.hpp"

namespace premigrate::render {

namespace {

std::string label(const nlohmann::json& t, const std::string& key) {
  auto it = t.find(key);
  return (it != t.end() && it->is_string()) ? it->get<std::string>() : key;
}

void label_finding(nlohmann::json& f, const nlohmann::json& t) {
  if (f.is_object()) f["sev_label"] = label(t, "sev_" + str_of(f, "severity"));
}

}  // namespace

std::string render_diff_html(const nlohmann::json& diff_in,
                             const std::filesystem::path& templates_dir, const std::string& lang) {
  nlohmann::json page = sanitized(diff_in);
  const auto t = load_strings(templates_dir, lang);
  for (const char* key : {"fixed", "new"}) {
    if (page[key].is_array()) {
      for (auto& f : page[key]) label_finding(f, t);
    }
  }
  for (const char* key : {"severity_changed", "waiver_changed"}) {
    if (!page[key].is_array()) continue;
    for (auto& e : page[key]) {
      label_finding(e["finding"], t);
      e["old_label"] = label(t, "sev_" + str_of(e, "old_severity"));
      e["new_label"] = label(t, "sev_" + str_of(e, "new_severity"));
      e["worse"] = str_of(e, "direction") == "worse";
    }
  }
  if (page["verdicts"].is_array()) {
    for (auto& v : page["verdicts"]) {
      v["old_label"] = str_of(v, "old").empty() ? "—" : label(t, "verdict_" + str_of(v, "old"));
      v["new_label"] = str_of(v, "new").empty() ? "—" : label(t, "verdict_" + str_of(v, "new"));
    }
  }
  for (const char* key : {"fixed", "new", "severity_changed", "waiver_changed"}) {
    page[std::string("has_") + key] = page[key].is_array() && !page[key].empty();
  }
  page["t"] = t;
  return render_template(templates_dir, "diff.html.mustache", page);
}

std::string render_fleet_html(const nlohmann::json& fleet_in,
                              const std::filesystem::path& templates_dir, const std::string& lang) {
  nlohmann::json page = sanitized(fleet_in);
  const auto t = load_strings(templates_dir, lang);
  if (page["archs"].is_array()) {
    for (auto& a : page["archs"]) {
      // A 100%-wide stacked bar per architecture: segment widths in percent of hosts.
      const double total = a.value("hosts", 0);
      nlohmann::json segs = nlohmann::json::array();
      double x = 0;
      for (const auto verdict : report::all_verdicts()) {  // worst first
        const std::string v(report::to_string(verdict));
        const int n = a["verdicts"].is_object() ? a["verdicts"].value(v, 0) : 0;
        if (n == 0 || total <= 0) continue;
        const double w = 100.0 * n / total;
        char xs[32], ws[32];
        std::snprintf(xs, sizeof xs, "%.2f", x);
        std::snprintf(ws, sizeof ws, "%.2f", w);
        segs.push_back(
            {{"verdict", v}, {"label", label(t, "verdict_" + v)}, {"n", n}, {"x", xs}, {"w", ws}});
        x += w;
      }
      a["segments"] = segs;
    }
  }
  for (const char* key : {"top_blockers", "top_findings"}) {
    if (!page[key].is_array()) continue;
    int max = 1;
    for (const auto& r : page[key])
      max = std::max(max, r.value(key[4] == 'b' ? "blocked_hosts" : "hosts", 0));
    for (auto& r : page[key]) {
      label_finding(r, t);
      const int n = r.value(key[4] == 'b' ? "blocked_hosts" : "hosts", 0);
      r["bar"] = n * 160 / max;
    }
    page[std::string("has_") + key] = !page[key].empty();
  }
  if (page["host_groups"].is_array()) {
    for (auto& g : page["host_groups"]) {
      g["open"] = g.value("count", 0) <= 60;  // long groups start collapsed
      g["label"] = str_of(g, "verdict") == "error" ? label(t, "fl_error")
                                                   : label(t, "verdict_" + str_of(g, "verdict"));
      for (auto& h : g["hosts"]) {
        for (auto& v : h["verdicts"]) v["label"] = label(t, "verdict_" + str_of(v, "verdict"));
      }
    }
  }
  page["has_unreadable"] = page["unreadable"].is_array() && !page["unreadable"].empty();
  page["t"] = t;
  return render_template(templates_dir, "fleet.html.mustache", page);
}

}  // namespace premigrate::render
