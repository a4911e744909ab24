// What every format shows first, in this order: the verdict per architecture (the host's own
// first, another one marked cross-architecture), the top actions by severity with how many
// subjects each covers, and the coverage line (what could not be checked).
#pragma once

#include <nlohmann/json.hpp>

namespace premigrate::render {

// {verdicts: [{arch, verdict, score, score_bound, cross_arch, counts}],
//  actions: [{rule_id, severity, findings, subjects, archs, message, remediation, certainty}],
//  actions_total, coverage: {not_run: [{check, archs}], undecided: [{arch, n}],
//  unknown_findings}}. Reads the report defensively, like every renderer.
[[nodiscard]] nlohmann::json first_screen(const nlohmann::json& report,
                                          std::size_t max_actions = 8);

}  // namespace premigrate::render
