// The name tables of the KB's closed sets (coverage status, package fate kinds): the words
// packs, reports and curated files use, written once.
#include "core/errors.hpp"
#include "core/name_table.hpp"
#include "kb/knowledge_base.hpp"

namespace premigrate::kb {

namespace {

constexpr core::NameTable<CoverageStatus, 3> kCoverageNames{{{
    {CoverageStatus::kComplete, "complete"},
    {CoverageStatus::kPartial, "partial"},
    {CoverageStatus::kUnknown, "unknown"},
}}};

constexpr core::NameTable<FateKind, 11> kFateNames{{{
    {FateKind::kPresent, "present"},
    {FateKind::kSourcePresent, "source_present"},
    {FateKind::kProvidedBy, "provided_by"},
    {FateKind::kRenamed, "renamed"},
    {FateKind::kSplit, "split"},
    {FateKind::kMerged, "merged"},
    {FateKind::kReplaced, "replaced"},
    {FateKind::kMoved, "moved"},
    {FateKind::kDeprecated, "deprecated"},
    {FateKind::kRemoved, "removed"},
    {FateKind::kUnknown, "unknown"},
}}};

}  // namespace

const char* to_string(CoverageStatus s) { return kCoverageNames.name(s).data(); }

CoverageStatus coverage_from_string(const std::string& s) {
  if (auto c = kCoverageNames.parse(s)) return *c;
  throw core::RunError("unknown coverage status '" + s + "'");
}

const char* to_string(FateKind k) { return kFateNames.name(k).data(); }

std::optional<FateKind> parse_fate_kind(std::string_view word) { return kFateNames.parse(word); }

std::optional<FateKind> event_action(std::string_view word) {
  const auto k = kFateNames.parse(word);
  // Computed answers, never stated by an evolution event (Leapp or curated).
  if (!k || *k == FateKind::kSourcePresent || *k == FateKind::kProvidedBy ||
      *k == FateKind::kUnknown)
    return std::nullopt;
  return k;
}

}  // namespace premigrate::kb
