// Facts for a scan: collected (with the analysis's root reads) or read from an inventory JSON.
#include "scan/facts_source.hpp"

#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "analyze/analyze.hpp"
#include "analyze/root_requests.hpp"
#include "core/errors.hpp"
#include "report/report.hpp"

namespace premigrate::scan {

namespace {

std::optional<core::DiagLevel> parse_level(std::string_view word) {
  for (auto l : {core::DiagLevel::kInfo, core::DiagLevel::kWarning, core::DiagLevel::kError})
    if (core::to_string(l) == word) return l;
  return std::nullopt;
}

core::Diagnostic diagnostic_from_json(const nlohmann::json& j) {
  core::Diagnostic d;
  const auto level = parse_level(j.at("level").get<std::string>());
  if (!level) throw core::RunError("unknown diagnostic level " + j.at("level").dump());
  d.level = *level;
  j.at("code").get_to(d.code);
  j.at("path").get_to(d.path);
  j.at("where").get_to(d.where);
  j.at("message").get_to(d.message);
  j.at("count").get_to(d.count);
  return d;
}

}  // namespace

facts::Inventory collect_facts(const core::RootFs& root, const collect::CollectOptions& options,
                               const analyze::Profile& profile, const analyze::RuleSet& rules,
                               const std::string& source, core::Diagnostics& diags) {
  auto inv = collect::collect_inventory(root, options, diags);
  if (options.elf_symbols != collect::ElfSymbols::kAll) {
    const std::string& src = source.empty() ? inv.host.source_release : source;
    const auto stays = analyze::elf_object_stays(inv, profile, src);
    if (options.elf_symbols == collect::ElfSymbols::kUnpackagedImports) {
      const auto loaded = analyze::loaded_libraries(inv, profile, stays);
      collect::read_deferred_symbols(
          root, inv, stays, [&](const facts::ElfObject& o) { return loaded.count(&o) > 0; }, diags);
    } else {
      collect::read_deferred_symbols(root, inv, stays, stays, diags);
    }
  }
  inv.root_reads =
      collect::read_requested(root, analyze::root_requests(inv, profile, rules), diags);
  return inv;
}

nlohmann::json inventory_extra(const core::Diagnostics& diags, const std::string& tool_version) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : diags.sorted()) list.push_back(report::diagnostic_json(d));
  return {{"diagnostics", list},
          {"diagnostics_suppressed", diags.suppressed()},
          {"tool", {{"name", "premigrate"}, {"version", tool_version}}}};
}

LoadedInventory load_inventory(const std::filesystem::path& file, core::Diagnostics& diags) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw core::RunError("cannot read the inventory " + file.string());
  LoadedInventory out;
  try {
    const auto j = nlohmann::json::parse(in);
    const auto schema = j.at("schema_version").get<int>();
    if (schema != facts::kInventorySchemaVersion)
      throw core::RunError("inventory " + file.string() + ": schema_version " +
                           std::to_string(schema) + ", this premigrate reads " +
                           std::to_string(facts::kInventorySchemaVersion) +
                           " (write it again with this version's `premigrate inventory`)");
    j.get_to(out.inv);
    if (const auto d = j.find("diagnostics"); d != j.end())
      for (const auto& item : *d) diags.add(diagnostic_from_json(item));
    if (const auto s = j.find("diagnostics_suppressed"); s != j.end())
      s->get_to(out.diagnostics_suppressed);
  } catch (const nlohmann::json::exception& e) {
    throw core::RunError("inventory " + file.string() + ": not an inventory JSON (" + e.what() +
                         ")");
  } catch (const std::invalid_argument& e) {  // a status word outside its set (facts/statuses)
    throw core::RunError("inventory " + file.string() + ": " + e.what());
  }
  return out;
}

}  // namespace premigrate::scan
