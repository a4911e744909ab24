// The output formats of `premigrate diff` and `premigrate fleet`: format tables like scan's
// (render/formats.hpp), so a new format of either is one row in format_tables.cpp.
#pragma once

#include <string>
#include <vector>

#include "render/formats.hpp"

namespace premigrate::cli {

// text, json, html; written from a compare::diff_reports document.
[[nodiscard]] const render::FormatTable& diff_formats();
// json, html; written from a compare::FleetAggregator::result document.
[[nodiscard]] const render::FormatTable& fleet_formats();

// "--format a,b" against a table: its rows in the order given, each once; a usage error naming
// an unknown word and the table's names.
[[nodiscard]] std::vector<const render::OutputFormat*> parse_formats(
    const render::FormatTable& table, const std::string& list);

// "text,json,html": every name of a table as --format would take them all, for usage lines.
[[nodiscard]] std::string format_usage(const render::FormatTable& table);

}  // namespace premigrate::cli
