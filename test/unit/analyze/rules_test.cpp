// Rule files: the shipped ones load; malformed ones are run errors naming file and line.
#include "analyze/rules.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "analyze/data_files.hpp"
#include "analyze/waivers.hpp"
#include "core/errors.hpp"

using namespace premigrate::analyze;

namespace {
const char* const kGood = R"(schema_version: 1
id: X-001
aliases: [OLD-001]
title: t
category: c
severity: high
applies_to: {archs: [aarch64], targets: ["fam-*"]}
condition: {kind: elf_missing_soname, coverage: [complete]}
message: "{subject} needed by {count}"
remediation: r
rationale: why
references: [https://example.org]
)";
}  // namespace

TEST_CASE("the shipped rules load, one file per stable id", "[analyze][rules]") {
  const auto set = load_rules({PREMIGRATE_RULES_DIR});
  REQUIRE(set.rules.size() >= 40);
  for (const auto& r : set.rules) {
    CAPTURE(r.id);
    CHECK(r.file.find(r.id + ".yaml") != std::string::npos);
    CHECK_FALSE(r.references.empty());
  }
}

namespace {
// The placeholder names of a template ("{count|object|objects}" counts as "count").
std::set<std::string> placeholders(const std::string& text) {
  std::set<std::string> out;
  for (auto a = text.find('{'); a != std::string::npos; a = text.find('{', a + 1)) {
    const auto b = text.find('}', a);
    if (b == std::string::npos) break;
    const auto inner = text.substr(a + 1, b - a - 1);
    out.insert(inner.substr(0, inner.find('|')));
  }
  return out;
}
}  // namespace

TEST_CASE("every shipped rule is worded in en and zh with the same placeholders, no (s) plurals",
          "[analyze][rules]") {
  const auto set = load_rules({PREMIGRATE_RULES_DIR});
  for (const auto& r : set.rules) {
    CAPTURE(r.id);
    for (const bool zh : {false, true}) {
      CHECK_FALSE(r.finding_message(zh).empty());
      CHECK_FALSE(r.finding_remediation(zh).empty());
    }
    CHECK(placeholders(r.message) == placeholders(r.zh_message));
    CHECK(placeholders(r.remediation) == placeholders(r.zh_remediation));
    CHECK(placeholders(r.group_message) == placeholders(r.zh_group_message));
    CHECK(placeholders(r.group_remediation) == placeholders(r.zh_group_remediation));
    // Wording rules of docs/rules.md: counted nouns agree, no article before a placeholder.
    for (const auto* text : {&r.message, &r.remediation, &r.group_message, &r.group_remediation}) {
      CHECK(text->find("(s)") == std::string::npos);
      CHECK(text->find(" a {") == std::string::npos);
      CHECK(text->find(" an {") == std::string::npos);
    }
  }
  // A zh mapping must hold what the rule words: message and remediation.
  CHECK_THROWS_WITH(parse_rule(std::string(kGood) + "zh: {message: m}\n", "z.yaml"),
                    Catch::Contains("z.yaml") && Catch::Contains("remediation"));
}

TEST_CASE("a rule file parses, and aliases find the renamed rule", "[analyze][rules]") {
  const auto r = parse_rule(kGood, "x.yaml");
  CHECK(r.id == "X-001");
  CHECK(r.archs == std::vector<std::string>{"aarch64"});
  CHECK(r.condition.params.at("coverage") == std::vector<std::string>{"complete"});
  RuleSet set{{r}};
  CHECK(set.find("OLD-001") == &set.rules[0]);
  CHECK(render_template(r.message, {{"subject", "libx.so.1"}, {"count", "3"}}) ==
        "libx.so.1 needed by 3");
  CHECK(render_template("{unknown} {", {}) == "{unknown} {");
  CHECK(applies(r, "aarch64", "centos-7", "fam-1.0"));
  CHECK_FALSE(applies(r, "x86_64", "centos-7", "fam-1.0"));
  CHECK_FALSE(applies(r, "aarch64", "centos-7", "other-1.0"));
  CHECK(matches_pattern("fam-*", "fam-1.0"));
  CHECK_FALSE(matches_pattern("fam-1", "fam-1.0"));
}

TEST_CASE("bad rule files are run errors naming file and line", "[analyze][rules]") {
  using premigrate::core::RunError;
  std::string bad_kind = kGood;
  bad_kind.replace(bad_kind.find("elf_missing_soname"), 18, "no_such_kind");
  CHECK_THROWS_WITH(parse_rule(bad_kind, "k.yaml"),
                    Catch::Contains("k.yaml:8") && Catch::Contains("no_such_kind"));
  std::string bad_param = kGood;
  bad_param.replace(bad_param.find("coverage:"), 9, "colour:");
  CHECK_THROWS_WITH(parse_rule(bad_param, "p.yaml"), Catch::Contains("colour"));
  std::string bad_sev = kGood;
  bad_sev.replace(bad_sev.find("high"), 4, "huge");
  CHECK_THROWS_WITH(parse_rule(bad_sev, "s.yaml"), Catch::Contains("severity"));
  CHECK_THROWS_WITH(parse_rule("id: [", "y.yaml"), Catch::Contains("y.yaml:"));
  CHECK_THROWS_AS(parse_rule("schema_version: 1\nid: A\n", "m.yaml"), RunError);
  CHECK_THROWS_WITH(parse_rule(std::string(kGood) + "surprise: 1\n", "u.yaml"),
                    Catch::Contains("surprise"));
}

// Found by test/fuzz/fuzz_rules: values of the wrong type escaped as yaml-cpp conversion
// exceptions (std::terminate in the fuzzer; a message without the file in the CLI).
TEST_CASE("rule and waiver values of the wrong shape are run errors naming file and line",
          "[analyze][rules]") {
  using premigrate::core::RunError;
  std::string bad_bool = kGood;
  bad_bool += "finding: falsze\n";  // the fuzzer's input: one byte inserted into "false"
  CHECK_THROWS_WITH(
      parse_rule(bad_bool, "b.yaml"),
      Catch::Contains("b.yaml:13") && Catch::Contains("finding must be true or false"));
  std::string good_bool = kGood;
  good_bool += "finding: false\n";
  CHECK_FALSE(parse_rule(good_bool, "b.yaml").finding);
  std::string map_key = kGood;
  map_key += "? [a, b]\n: 1\n";  // a key that is a list, not a string
  CHECK_THROWS_AS(parse_rule(map_key, "k.yaml"), RunError);
  std::string list_version = kGood;
  list_version.replace(0, std::string("schema_version: 1").size(), "schema_version: [1]");
  CHECK_THROWS_WITH(parse_rule(list_version, "v.yaml"), Catch::Contains("v.yaml:1"));

  const std::string waiver_head = "schema_version: 1\nwaivers:\n";
  CHECK_THROWS_WITH(parse_waivers(waiver_head + "  - rule: R\n    subject: {a: 1}\n    reason: r\n"
                                                "    owner: o\n    expires: 2030-01-01\n",
                                  "w.yaml"),
                    Catch::Contains("w.yaml:4"));
  CHECK_THROWS_WITH(parse_waivers("schema_version: {x: 1}\n", "w.yaml"), Catch::Contains("w.yaml"));
  CHECK_THROWS_AS(parse_waivers(waiver_head + "  - just a string\n", "w.yaml"), RunError);
}
