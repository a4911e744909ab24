// External validators the renderer tests use (python3-jsonschema, xmllint) and golden-file
// comparison. Each returns a status with the validator's message; `available` false means the
// tool is missing and the test should skip with the printed reason.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace premigrate::testing {

struct Validation {
  bool available = true;
  bool ok = false;
  std::string message;
};

// Validates JSON files against docs/schema/<schema> with test/tools/validate_json.py.
[[nodiscard]] Validation validate_json(const std::string& schema, const std::string& doc_text);
// Validates an XML text against docs/schema/<xsd> with xmllint --schema.
[[nodiscard]] Validation validate_xml(const std::string& xsd, const std::string& xml_text);

// Writes `actual` under the build tree's test-output/<name>; compares with test/golden/<name>.
// With PREMIGRATE_BLESS=1 in the environment, writes the golden file instead. Returns "" when
// equal, else a message naming both files.
[[nodiscard]] std::string compare_golden(const std::string& name, const std::string& actual);

// Replaces volatile values (tool version, absolute fixture path, the fixtures' generated
// signing key ids) with stable placeholders.
[[nodiscard]] nlohmann::json normalise_report(nlohmann::json report, const std::string& root);

[[nodiscard]] std::filesystem::path scratch_dir(const std::string& name);  // fresh, in build tree

}  // namespace premigrate::testing
