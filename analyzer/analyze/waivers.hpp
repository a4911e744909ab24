// Waivers (--waivers FILE): accepted findings, by rule id (or an alias) and a subject glob,
// each with reason, owner and expiry date. Waived findings stay in the report, marked; an
// expired waiver no longer applies and is itself reported (condition kind waiver_expired).
#pragma once

#include <string>
#include <vector>

#include "report/report.hpp"

namespace premigrate::analyze {

struct Waiver {
  std::string rule;
  std::string subject;                 // fnmatch glob; "*" = every subject
  std::string reason, owner, expires;  // expires: YYYY-MM-DD
  std::string where;                   // file:line
};

// Throws core::RunError naming the file and line for a malformed waiver (load_waivers in
// data_files.hpp reads the file).
[[nodiscard]] std::vector<Waiver> parse_waivers(const std::string& yaml_text,
                                                const std::string& file);
[[nodiscard]] bool waiver_expired(const Waiver& w, const std::string& today);

}  // namespace premigrate::analyze
