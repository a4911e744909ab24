// The terminal summary: verdict per architecture, counts, top findings, diagnostics count.
#include <sstream>

#include "render/render.hpp"

namespace premigrate::render {

namespace {

// Control characters (ESC, CR, newline...) in host strings become visible escapes.
std::string term_safe(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

}  // namespace

std::string render_text(const nlohmann::json& report_in, bool color) {
  const nlohmann::json report = sanitized(report_in);
  auto paint = [color](const std::string& s, const char* code) {
    return color ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  };
  std::ostringstream o;
  const auto& host = report["host"];
  const auto& facts = host["facts"];
  o << "premigrate " << str(report["tool"], "version") << " — readiness report\n";
  o << "  root:    " << term_safe(str(host, "root")) << "\n";
  std::string src = str(facts, "source_release");
  o << "  source:  " << term_safe(src.empty() ? "unknown" : src) << "\n";
  std::string target = str(report, "target");
  o << "  target:  " << term_safe(target.empty() ? "(no knowledge base loaded)" : target) << "\n";
  const auto& rpmdb = host["rpmdb"];
  o << "  rpmdb:   " << term_safe(str(rpmdb, "status")) << " " << term_safe(str(rpmdb, "backend"))
    << " " << term_safe(str(rpmdb, "path")) << ", "
    << report["inventory_summary"].value("packages", 0) << " packages\n\n";
  for (const auto& v : report["verdicts"]) {
    std::string verdict = str(v, "verdict");
    const char* code = verdict == "ready"                 ? "32"
                       : verdict == "ready_after_actions" ? "33"
                       : verdict == "blocked"             ? "31;1"
                                                          : "35";
    o << "  " << str(v, "arch") << ": " << paint(verdict, code);
    for (const char* sev : {"blocker", "high", "medium", "low", "info"}) {
      int n = v["counts"].value(sev, 0);
      if (n) o << "  " << sev << "=" << n;
    }
    o << "\n";
    for (const auto& c : v["checks_not_run"]) {
      o << "    not checked: " << term_safe(str(c, "check")) << " — " << term_safe(str(c, "reason"))
        << "\n";
    }
  }
  int shown = 0;
  for (const auto& f : report["findings"]) {
    if (f.value("waived", false)) continue;
    if (shown == 0) o << "\nTop findings:\n";
    if (++shown > 10) break;
    o << "  [" << str(f, "severity") << "] " << term_safe(str(f, "subject")) << ": "
      << term_safe(str(f, "message")) << "\n";
  }
  const auto n_diag = report["diagnostics"].size();
  if (n_diag) o << "\n" << n_diag << " diagnostic(s): see the JSON or HTML report\n";
  return o.str();
}

}  // namespace premigrate::render
