// Validators and golden comparison for the renderer tests.
#include "unit/render/validators.hpp"

#include <unistd.h>

#include <cstdlib>

#include "support/process.hpp"

namespace fs = std::filesystem;

namespace premigrate::testing {

namespace {

// Per process: CTest runs each test case as its own process, in parallel.
fs::path next_scratch() {
  static int n = 0;
  return scratch_dir("validate-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
}

}  // namespace

fs::path scratch_dir(const std::string& name) {
  fs::path p = fs::path(PREMIGRATE_ACTUAL_DIR) / "scratch" / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

Validation validate_json(const std::string& schema, const std::string& doc_text) {
  Validation v;
  if (std::string(PREMIGRATE_PYTHON3).empty()) {
    v.available = false;
    v.message = "python3 not found";
    return v;
  }
  const auto dir = next_scratch();
  spit(dir / "doc.json", doc_text);
  const auto r = run_shell(quote(PREMIGRATE_PYTHON3) + " " + quote(PREMIGRATE_VALIDATE_JSON) + " " +
                               quote((fs::path(PREMIGRATE_SCHEMA_DIR) / schema).string()) + " " +
                               quote((dir / "doc.json").string()),
                           dir);
  if (r.status == 3) {
    v.available = false;
    v.message = r.err;
    return v;
  }
  v.ok = r.status == 0;
  v.message = r.err;
  return v;
}

Validation validate_xml(const std::string& xsd, const std::string& xml_text) {
  Validation v;
  if (std::string(PREMIGRATE_XMLLINT).empty()) {
    v.available = false;
    v.message = "xmllint (libxml2-utils) not found";
    return v;
  }
  const auto dir = next_scratch();
  spit(dir / "doc.xml", xml_text);
  const auto r = run_shell(quote(PREMIGRATE_XMLLINT) + " --noout --schema " +
                               quote((fs::path(PREMIGRATE_SCHEMA_DIR) / xsd).string()) + " " +
                               quote((dir / "doc.xml").string()),
                           dir);
  v.ok = r.status == 0;
  v.message = r.err;
  return v;
}

std::string compare_golden(const std::string& name, const std::string& actual) {
  const fs::path golden = fs::path(PREMIGRATE_GOLDEN_DIR) / name;
  const fs::path out = fs::path(PREMIGRATE_ACTUAL_DIR) / "golden-actual" / name;
  spit(out, actual);
  const char* bless = std::getenv("PREMIGRATE_BLESS");
  if (bless && std::string(bless) == "1") {
    spit(golden, actual);
    return {};
  }
  if (!fs::exists(golden))
    return "golden file " + golden.string() + " is missing (actual: " + out.string() + ")";
  if (slurp(golden) == actual) return {};
  return "output differs from the golden file: diff -u " + golden.string() + " " + out.string();
}

nlohmann::json normalise_report(nlohmann::json report, const std::string& root) {
  report["tool"]["version"] = "<VERSION>";
  // Fixture packages are signed with a key generated when the fixtures are built.
  auto& keys = report["inventory_summary"]["packages_by_signing_key"];
  if (keys.is_object()) {
    nlohmann::json stable = nlohmann::json::object();
    int n = 0;
    for (const auto& [k, v] : keys.items()) stable["<KEY-" + std::to_string(++n) + ">"] = v;
    keys = stable;
  }
  if (report.contains("host") && report["host"].contains("root")) report["host"]["root"] = "<ROOT>";
  // Any string that mentions the absolute fixture path (diagnostics, rpmdb path) is rewritten.
  const std::string dumped = report.dump();
  std::string out;
  std::size_t i = 0;
  while (true) {
    const auto j = root.empty() ? std::string::npos : dumped.find(root, i);
    if (j == std::string::npos) {
      out += dumped.substr(i);
      break;
    }
    out += dumped.substr(i, j - i) + "<ROOT>";
    i = j + root.size();
  }
  return nlohmann::json::parse(out);
}

}  // namespace premigrate::testing
