// The HTML report: self-contained, escaped, complete in both languages, deterministic, and
// matching its golden files.
#include "render/render.hpp"

#include <catch2/catch.hpp>
#include <regex>

#include "render/html_view.hpp"
#include "render/template_engine.hpp"
#include "support/process.hpp"
#include "support/synthetic_report.hpp"
#include "unit/render/validators.hpp"

namespace fs = std::filesystem;
using premigrate::render::render_html;
using premigrate::testing::synthetic_report;

namespace {

const fs::path kTemplates = PREMIGRATE_TEMPLATES_DIR;

std::size_t count_of(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto i = hay.find(needle); i != std::string::npos; i = hay.find(needle, i + 1)) ++n;
  return n;
}

// A report whose host strings are hostile markup.
nlohmann::json hostile_report() {
  auto r = synthetic_report(6, 7);
  r["host"]["root"] = "/srv/<script>alert('root')</script>";
  r["findings"][0]["subject"] = "/opt/<script>alert(1)</script>";
  r["findings"][0]["message"] = "package summary <img src=x onerror=alert(2)> & \"quoted\"";
  r["findings"][0]["evidence"][0]["detail"] = "</script><script>alert(3)</script>";
  r["findings"][1]["remediation"] = "<a href=\"javascript:alert(4)\">click</a>";
  r["findings"][1]["category"] = "x\" onmouseover=\"alert(5)";
  r["diagnostics"][0]["path"] = "/tmp/<b>bold</b>";
  return r;
}

}  // namespace

TEST_CASE("every UI string exists in English and Simplified Chinese") {
  const auto en = premigrate::render::load_strings(kTemplates, "en");
  const auto zh = premigrate::render::load_strings(kTemplates, "zh");
  REQUIRE(en.size() > 50);
  for (const auto& [k, v] : en.items()) {
    INFO(k);
    REQUIRE(zh.contains(k));
    CHECK_FALSE(zh[k].get<std::string>().empty());
  }
  for (const auto& [k, v] : zh.items()) {
    INFO(k);
    CHECK(en.contains(k));
  }
  // Every {{t.key}} used by a template has a string in each language.
  for (const char* tpl : {"report.html.mustache", "diff.html.mustache", "fleet.html.mustache"}) {
    const std::string text = premigrate::testing::slurp(kTemplates / tpl);
    const std::regex key(R"(\{\{t\.([a-z_]+)\}\})");
    for (std::sregex_iterator it(text.begin(), text.end(), key), end; it != end; ++it) {
      INFO(tpl << ": " << (*it)[1]);
      CHECK(en.contains((*it)[1].str()));
      CHECK(zh.contains((*it)[1].str()));
    }
  }
}

TEST_CASE("templates never use unescaped {{{x}}} or {{& x}} tags") {
  for (const char* tpl : {"report.html.mustache", "diff.html.mustache", "fleet.html.mustache"}) {
    const std::string text = premigrate::testing::slurp(kTemplates / tpl);
    INFO(tpl);
    CHECK(text.find("{{{") == std::string::npos);
    CHECK(text.find("{{&") == std::string::npos);
  }
}

TEST_CASE("the HTML report is self-contained: no external resource of any kind") {
  const std::string html = render_html(synthetic_report(200, 1), kTemplates, "en");
  CHECK(html.find("<script src") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<iframe") == std::string::npos);
  // Host strings may contain URLs as text; no attribute may point outside the page.
  CHECK_FALSE(std::regex_search(html, std::regex(R"((src|href|action)\s*=\s*"(https?:|//))")));
  CHECK(html.find("default-src 'none'") != std::string::npos);  // CSP forbids loads anyway
}

TEST_CASE("host strings with markup are shown as text, never as markup") {
  const std::string html = render_html(hostile_report(), kTemplates, "en");
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("<b>bold</b>") == std::string::npos);
  CHECK(html.find("href=\"javascript:") == std::string::npos);
  CHECK(html.find("\" onmouseover=\"") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quoted&quot;") !=
        std::string::npos);
  CHECK(html.find("&lt;/script&gt;&lt;script&gt;alert(3)") != std::string::npos);
  CHECK(html.find("&lt;b&gt;bold&lt;/b&gt;") != std::string::npos);
  // Exactly the page's own script element: nothing from the host opened another.
  CHECK(count_of(html, "<script") == 1);
  CHECK(count_of(html, "</script>") == 1);
}

TEST_CASE("the executive summary comes first, with verdicts, top actions, coverage and charts") {
  auto r = synthetic_report(300, 3);
  const std::string html = render_html(r, kTemplates, "en");
  const auto summary = html.find("id=\"summary\""), findings = html.find("id=\"findings\"");
  const auto inventory = html.find("id=\"inventory\""), coverage = html.find("id=\"coverage\"");
  const auto diags = html.find("id=\"diagnostics\""), waivers = html.find("id=\"waivers\"");
  REQUIRE(summary != std::string::npos);
  CHECK(summary < findings);
  CHECK(findings < inventory);
  CHECK(inventory < coverage);
  CHECK(coverage < diags);
  CHECK(diags < waivers);
  const std::string head = html.substr(summary, findings - summary);
  CHECK(count_of(head, "<svg") == 2);
  // Verdicts, then the top actions, then the coverage line, then the charts.
  const auto cards = head.find("class=\"card "), actions = head.find("id=\"top-actions\"");
  const auto cov = head.find("id=\"coverage-line\""), charts = head.find("<svg");
  REQUIRE(cards != std::string::npos);
  CHECK(cards < actions);
  CHECK(actions < cov);
  CHECK(cov < charts);
  CHECK(head.find("Top actions, most severe first") != std::string::npos);
  CHECK(head.find("What to do:") != std::string::npos);
  CHECK(head.find("What we could not check:") != std::string::npos);
  // The package outcomes sit between the findings and the inventory.
  const auto packages = html.find("id=\"packages\"");
  CHECK(findings < packages);
  CHECK(packages < inventory);
  // The severity chart's bars are as many as severities, the longest the largest count.
  CHECK(count_of(head, "class=\"bar-") >= 5);
  // Each finding is one row, with its evidence and remediation in the page (JS only collapses).
  CHECK(count_of(html, "<tr class=\"f") == r["findings"].size());
  CHECK(count_of(html, "<div class=\"more\">") == r["findings"].size());
}

TEST_CASE("verdicts and severities are translated; messages in zh where the rule words them") {
  auto r = synthetic_report(50, 5);
  r["findings"][0]["message"] = "libssl.so.10 is not provided by the target";
  // A rule with zh wording: the zh page shows it, the en page the English; without, English.
  r["findings"][1]["message"] = "3 packages are renamed";
  r["findings"][1]["message_zh"] = "3 个软件包更名";
  r["findings"][1]["remediation_zh"] = "安装新名称";
  r["package_outcomes"] = {{{"package", "foo-1-1.x86_64"},
                            {"arch", "x86_64"},
                            {"fate", "renamed"},
                            {"outcome", "foo: renamed to bar"},
                            {"action", "Install bar"},
                            {"outcome_zh", "foo：更名为 bar"},
                            {"action_zh", "安装 bar"}}};
  const std::string zh = render_html(r, kTemplates, "zh");
  const std::string en = render_html(r, kTemplates, "en");
  CHECK(zh.find("lang=\"zh-CN\"") != std::string::npos);
  CHECK(zh.find("总体摘要") != std::string::npos);
  CHECK(zh.find("受阻") != std::string::npos);
  CHECK(zh.find("Executive summary") == std::string::npos);
  CHECK(zh.find("Blocked") == std::string::npos);
  CHECK(zh.find("libssl.so.10 is not provided by the target") != std::string::npos);
  CHECK(zh.find("3 个软件包更名") != std::string::npos);
  CHECK(zh.find("安装新名称") != std::string::npos);
  CHECK(zh.find("3 packages are renamed") == std::string::npos);
  CHECK(en.find("3 packages are renamed") != std::string::npos);
  CHECK(en.find("3 个软件包更名") == std::string::npos);
  CHECK(zh.find("foo：更名为 bar") != std::string::npos);
  CHECK(en.find("foo: renamed to bar") != std::string::npos);
  CHECK(en.find("Executive summary") != std::string::npos);
  CHECK(en.find("总体摘要") == std::string::npos);
  CHECK_THROWS(render_html(r, kTemplates, "fr"));
}

TEST_CASE("a report that carries a run-level error shows it first") {
  nlohmann::json err = {{"schema_version", 1},
                        {"tool", {{"name", "premigrate"}, {"version", "1"}}},
                        {"generated_at", "2023-11-14T22:13:20Z"},
                        {"target", ""},
                        {"archs", {"x86_64"}},
                        {"error", {{"message", "root /nope: <missing>"}, {"stage", "collect"}}}};
  const std::string html = render_html(err, kTemplates, "en");
  CHECK(html.find("id=\"run-error\"") != std::string::npos);
  CHECK(html.find("root /nope: &lt;missing&gt;") != std::string::npos);
  CHECK(premigrate::render::render_text(err, false).find("scan did not complete") !=
        std::string::npos);
}

TEST_CASE("the HTML is deterministic and matches its golden files", "[golden]") {
  auto r = hostile_report();
  const std::string en = render_html(r, kTemplates, "en");
  CHECK(en == render_html(r, kTemplates, "en"));
  CHECK(premigrate::testing::compare_golden("report/synthetic.en.html", en) == "");
  CHECK(premigrate::testing::compare_golden("report/synthetic.zh.html",
                                            render_html(r, kTemplates, "zh")) == "");
  CHECK(premigrate::testing::compare_golden("report/synthetic.txt",
                                            premigrate::render::render_text(r, false)) == "");
}

TEST_CASE("the terminal summary groups identical not-run reasons across architectures") {
  auto r = synthetic_report(0, 1);
  for (auto& v : r["verdicts"]) {
    v["verdict"] = "incomplete";
    v["checks_not_run"] = {{{"check", "elf-linkage"}, {"arch", ""}, {"reason", "no KB"}},
                           {{"check", "packages"}, {"arch", ""}, {"reason", "no KB"}}};
  }
  r["verdicts"][1]["checks_not_run"].push_back(
      {{"check", "kernel-modules"}, {"arch", "aarch64"}, {"reason", "no kABI data"}});
  const std::string text = premigrate::render::render_text(r, false);
  CHECK(count_of(text, "no KB") == 1);
  CHECK(text.find("elf-linkage, packages — no KB") != std::string::npos);
  CHECK(text.find("kernel-modules [aarch64] — no kABI data") != std::string::npos);
  CHECK(text.find("\033[") == std::string::npos);
  CHECK(premigrate::render::render_text(r, true).find("\033[") != std::string::npos);
}

TEST_CASE("invalid UTF-8 in host strings and keys becomes U+FFFD, as the JSON writer writes it") {
  nlohmann::json doc = {{"ok", "caf\xc3\xa9"},
                        {"bad",
                         "a\xff"
                         "b\xe2\x82"
                         "c\xed\xa0\x80"
                         "d\xc0\xaf"
                         "e\xf4\x90\x80\x80"},
                        {"list", {"\xfe", "fine", "end\xe2\x82"}},
                        {"nested", {{"k\xff", 1}, {"k\xfe", 2}, {"kz", "\xf0\x9f\x98\x80"}}}};
  const auto clean = premigrate::render::sanitized(doc);
  // The same bytes as a replacing dump read back: what the other renderers have always seen.
  CHECK(clean ==
        nlohmann::json::parse(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  CHECK(clean["ok"] == "caf\xc3\xa9");
  CHECK(clean["list"][0] == "\xef\xbf\xbd");
  CHECK(clean["nested"]["kz"] == "\xf0\x9f\x98\x80");
  CHECK(clean["nested"].size() == 2);  // both bad keys read "k\ufffd"; the last value stays
  CHECK(clean["nested"]["k\xef\xbf\xbd"] == 1);
  CHECK(clean.dump() == clean.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict));
  // The by-reference form copies only a document that needs it; a bad key alone is enough.
  CHECK_FALSE(premigrate::render::is_sanitized(doc));
  nlohmann::json storage;
  const auto& fixed = premigrate::render::sanitized(doc, storage);
  CHECK(&fixed == &storage);
  CHECK(fixed == clean);
  CHECK(premigrate::render::is_sanitized(clean));
  nlohmann::json untouched;
  CHECK(&premigrate::render::sanitized(clean, untouched) == &clean);
  CHECK(untouched.is_null());
  CHECK_FALSE(premigrate::render::is_sanitized(nlohmann::json{{"ok", {{"k\xc0", true}}}}));
  CHECK_FALSE(premigrate::render::is_sanitized(nlohmann::json::array({1, "x", {"y\xed\xa0\x80"}})));
}

TEST_CASE("templates read JSON values with the engine's documented meaning") {
  const auto dir = premigrate::testing::scratch_dir("template-meaning");
  premigrate::testing::spit(
      dir / "t.mustache",
      "{{#flat._entries}}{{key}}={{value}};{{/flat._entries}}|"
      "{{^deep._entries}}no-entries{{/deep._entries}}|"
      "{{#empty._empty}}empty{{/empty._empty}}{{^flat._empty}}full{{/flat._empty}}|"
      "{{#blank}}x{{/blank}}{{^blank}}blank-is-false{{/blank}}{{^none}}null-is-false{{/none}}|"
      "{{n}} {{f}} {{#yes}}true{{/yes}}|"
      "{{#deep.list}}[{{name}}{{#tags}}<{{.}}>{{/tags}}{{outer}}]{{/deep.list}}|"
      "{{deep.inner.word}} {{#deep}}{{inner.word}}{{/deep}}|{{html}}");
  const nlohmann::json view = {
      {"flat", {{"b", 2}, {"a", "x"}}},
      {"deep",
       {{"list", {{{"name", "one"}, {"tags", {"p", "q"}}}, {{"name", "two"}}}},
        {"inner", {{"word", "hi"}}}}},
      {"empty", nlohmann::json::object()},
      {"blank", ""},
      {"none", nullptr},
      {"n", 42},
      {"f", 1.5},
      {"yes", true},
      {"outer", "O"},
      {"html", "<a href=\"x\">&'</a>"}};
  CHECK(premigrate::render::render_template(dir, "t.mustache", view) ==
        "a=x;b=2;|no-entries|emptyfull|blank-is-falsenull-is-false|42 1.5 true|"
        "[one<p><q>O][twoO]|hi hi|&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
}

TEST_CASE("the page shows the first evidence entries of a finding and says how many more") {
  auto r = synthetic_report(1, 11);
  auto& f = r["findings"][0];
  f["evidence"] = nlohmann::json::array();
  for (int i = 0; i < 120; ++i)
    f["evidence"].push_back(
        {{"subject", "/opt/app/s" + std::to_string(i) + ".sh"}, {"detail", "runs /bin/sh"}});
  const std::string read_back = render_html(r, kTemplates, "en");  // a report read from JSON
  CHECK(read_back.find("/opt/app/s49.sh") != std::string::npos);
  CHECK(read_back.find("/opt/app/s50.sh") == std::string::npos);
  CHECK(read_back.find("… and 70 more") != std::string::npos);
  // A scan's document: capped to 50 entries, with the total beside them.
  f["evidence"].erase(f["evidence"].begin() + 50, f["evidence"].end());
  f["evidence_total"] = 200000;
  const std::string capped = render_html(r, kTemplates, "zh");
  CHECK(capped.find("另有 199950 项") != std::string::npos);
}
