// Reads a pack file into the KnowledgeBase's typed rows, checking every row and every dataset
// reference (the first malformed row is named by its index); indexes are built after.
#include <algorithm>
#include <cctype>
#include <map>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "kb/evr.hpp"
#include "kb/knowledge_base.hpp"
#include "kb/pack_file.hpp"
#include "kb/pack_format.hpp"
#include "kb/soname.hpp"

namespace premigrate::kb {

using nlohmann::json;

namespace {

// Reads the rows of one fact kind, reporting the first malformed row by its index.
template <typename Fn>
void each_row(const json& pack, const char* key, std::size_t width, const std::string& file,
              Fn&& fn) {
  auto it = pack.find(key);
  if (it == pack.end()) return;
  if (!it->is_array()) throw core::RunError(file + ": '" + key + "' is not an array");
  std::size_t i = 0;
  for (const auto& row : *it) {
    if (!row.is_array() || row.size() != width)
      throw core::RunError(file + ": " + key + "[" + std::to_string(i) + "]: expected a row of " +
                           std::to_string(width) + " columns");
    fn(row);
    ++i;
  }
}

// A non-negative integer no larger than `max`. nlohmann's get<> of a float or an out-of-range
// integer converts silently (and a float beyond the target range is undefined behaviour), so a
// pack's numbers are checked before they are converted.
std::uint64_t count_of(const json& v, std::uint64_t max, const char* what) {
  if (v.is_number_unsigned()) {
    const auto n = v.get<std::uint64_t>();
    if (n <= max) return n;
  } else if (v.is_number_integer()) {
    const auto n = v.get<std::int64_t>();
    if (n >= 0 && static_cast<std::uint64_t>(n) <= max) return static_cast<std::uint64_t>(n);
  }
  throw core::RunError(std::string(what) + ": expected an integer from 0 to " +
                       std::to_string(max) + ", found " +
                       v.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::uint32_t ds_of(const json& v) {
  return static_cast<std::uint32_t>(count_of(v, 0xFFFFFFFEu, "dataset index"));
}

// A dataset index or null (-1).
std::int64_t optional_ds_of(const json& v) {
  return v.is_null() ? -1 : static_cast<std::int64_t>(ds_of(v));
}

std::vector<int> version_of(const json& v) {
  if (!v.is_array()) throw core::RunError("target.version: expected an array of integers");
  std::vector<int> out;
  for (const auto& part : v)
    out.push_back(static_cast<int>(count_of(part, 1000000, "target.version")));
  return out;
}

}  // namespace

KnowledgeBase read_pack_file(const std::filesystem::path& pack_file) {
  return KnowledgeBase::from_text(read_text_file(pack_file), pack_file.string());
}

KnowledgeBase KnowledgeBase::from_text(const std::string& text, const std::string& name) {
  json pack = parse_json_text(text, name);
  KnowledgeBase kb;
  kb.file_ = name;
  if (!pack.is_object() || !pack.contains("schema_version") ||
      !pack["schema_version"].is_number_integer())
    throw core::RunError(name + ": not a KB pack (no integer schema_version)");
  if (const auto& sv = pack["schema_version"];
      sv.is_number_unsigned() ? sv.get<std::uint64_t>() > 1000000u
                              : (sv.get<std::int64_t>() < 0 || sv.get<std::int64_t>() > 1000000))
    throw core::RunError(name + ": unknown KB pack schema_version " + sv.dump() +
                         " (this program reads " + std::to_string(kPackSchemaVersion) + ")");
  kb.schema_version_ = static_cast<int>(pack["schema_version"].get<std::int64_t>());
  if (kb.schema_version_ != kPackSchemaVersion)
    throw core::RunError(name + ": unknown KB pack schema_version " +
                         std::to_string(kb.schema_version_) + " (this program reads " +
                         std::to_string(kPackSchemaVersion) + ")");
  try {
    kb.kb_version_ = pack.at("kb_version").get<std::string>();
    kb.build_date_ = pack.at("build_date").get<std::string>();
    kb.source_release_ = pack.at("source_release").get<std::string>();
    kb.arch_ = pack.at("arch").get<std::string>();
    const auto& t = pack.at("target");
    kb.target_ = {t.at("id").get<std::string>(),   t.at("family").get<std::string>(),
                  t.at("name").get<std::string>(), t.at("line").get<std::string>(),
                  t.at("lts").get<bool>(),         version_of(t.at("version"))};
    for (const auto& d : pack.at("datasets")) {
      Dataset ds;
      ds.id = d.at("id").get<std::string>();
      ds.facts = d.at("facts").get<std::vector<std::string>>();
      ds.importer = d.at("importer").get<std::string>();
      ds.name = d.at("name").get<std::string>();
      ds.origin = d.at("origin").get<std::string>();
      ds.commit = d.at("commit").get<std::string>();
      ds.date = d.at("date").get<std::string>();
      ds.licence = d.at("licence").get<std::string>();
      ds.derived_from = d.at("derived_from").get<std::string>();
      ds.note = d.at("note").get<std::string>();
      ds.files = d.at("files").get<std::vector<std::string>>();
      ds.rows = count_of(d.at("rows"), UINT64_MAX, "datasets[].rows");
      ds.rows_in_pack = count_of(d.at("rows_in_pack"), UINT64_MAX, "datasets[].rows_in_pack");
      kb.datasets_.push_back(std::move(ds));
    }
    for (const auto& [kind, c] : pack.at("coverage").items()) {
      kb.coverage_[kind] = {coverage_from_string(c.at("status").get<std::string>()),
                            c.at("reason").get<std::string>(),
                            c.at("datasets").get<std::vector<std::string>>()};
    }
    each_row(pack, "binary_packages", 6, name, [&](const json& r) {
      kb.binaries_.push_back({r[0].get<std::string>(), r[1].get<std::string>(),
                              r[2].get<std::string>(), r[3].get<std::string>(),
                              r[4].get<std::string>(), ds_of(r[5])});
    });
    each_row(pack, "source_packages", 3, name, [&](const json& r) {
      kb.sources_.push_back({r[0].get<std::string>(), r[1].get<std::string>(), ds_of(r[2])});
    });
    each_row(pack, "source_versions", 3, name, [&](const json& r) {
      kb.source_versions_.push_back(
          {r[0].get<std::string>(), r[1].get<std::string>(), ds_of(r[2])});
    });
    each_row(pack, "dropped_packages", 2, name, [&](const json& r) {
      kb.dropped_.push_back({r[0].get<std::string>(), "", ds_of(r[1])});
    });
    each_row(pack, "evolution", 9, name, [&](const json& r) {
      kb.evolution_.push_back({r[0].get<std::string>(), r[1].get<std::vector<std::string>>(),
                               r[3].get<std::vector<std::string>>(), r[2].get<std::string>(),
                               r[4].get<std::string>(), r[5].get<std::string>(),
                               r[6].get<std::string>(), ds_of(r[7]), r[8].get<std::string>()});
    });
    each_row(pack, "provides", 4, name, [&](const json& r) {
      // Obsoletes are successor claims, not capabilities: the dependency resolver must not see
      // them.
      auto& dest = r[1].get<std::string>() == "obsoletes" ? kb.obsoletes_ : kb.provides_;
      dest.push_back(
          {r[0].get<std::string>(), r[1].get<std::string>(), r[2].get<std::string>(), ds_of(r[3])});
    });
    each_row(pack, "files", 3, name, [&](const json& r) {
      kb.files_.push_back({r[0].get<std::string>(), r[1].get<std::string>(), ds_of(r[2])});
    });
    auto kabi_row = [](const json& r) {
      return KabiSymbol{r[0].get<std::string>(), r[1].get<std::string>(), r[2].get<std::string>(),
                        r[3].get<std::string>(), r[4].get<bool>(),        ds_of(r[5])};
    };
    each_row(pack, "kabi", 6, name, [&](const json& r) { kb.kabi_.push_back(kabi_row(r)); });
    each_row(pack, "source_kabi", 6, name,
             [&](const json& r) { kb.source_kabi_.push_back(kabi_row(r)); });
    if (auto k = pack.find("kernel"); k != pack.end()) {
      kb.kernel_.version = k->at("version").get<std::string>();
      kb.kernel_.release_at_snapshot = k->at("release_at_snapshot").get<std::string>();
      kb.kernel_.dataset = optional_ds_of(k->at("dataset"));
    }
    if (auto o = pack.find("openssh"); o != pack.end()) {
      kb.openssh_.version = o->at("version").get<std::string>();
      kb.openssh_.dataset = optional_ds_of(o->at("dataset"));
    }
    each_row(pack, "openssh_sshd_config", 2, name, [&](const json& r) {
      kb.openssh_.sshd_config[r[0].get<std::string>()] = r[1].get<std::string>();
    });
    each_row(pack, "openssh_ssh_config", 2, name, [&](const json& r) {
      kb.openssh_.ssh_config[r[0].get<std::string>()] = r[1].get<std::string>();
    });
    kb.exports_ = ExportIndex::from_pack(pack, name, kb.datasets_.size());
  } catch (const json::exception& e) {
    throw core::RunError(name + ": malformed KB pack: " + e.what());
  } catch (const core::RunError& e) {
    throw core::RunError(name + ": malformed KB pack: " + e.what());
  }
  const auto n = kb.datasets_.size();
  auto check = [&](std::uint64_t ds, const char* what) {
    if (ds >= n)
      throw core::RunError(name + ": " + what + " row names dataset " + std::to_string(ds) +
                           " but the pack lists " + std::to_string(n));
  };
  for (const auto& r : kb.binaries_) check(r.dataset, "binary_packages");
  for (const auto& r : kb.provides_) check(r.dataset, "provides");
  for (const auto& r : kb.obsoletes_) check(r.dataset, "provides");
  for (const auto& r : kb.files_) check(r.dataset, "files");
  for (const auto& r : kb.evolution_) check(r.dataset, "evolution");
  for (const auto& r : kb.source_versions_) check(r.dataset, "source_versions");
  for (const auto& r : kb.kabi_) check(r.dataset, "kabi");
  for (const auto& r : kb.source_kabi_) check(r.dataset, "source_kabi");
  for (const auto& r : kb.sources_) check(r.dataset, "source_packages");
  for (const auto& r : kb.dropped_) check(r.dataset, "dropped_packages");
  if (kb.kernel_.dataset >= 0) check(static_cast<std::uint64_t>(kb.kernel_.dataset), "kernel");
  if (kb.openssh_.dataset >= 0) check(static_cast<std::uint64_t>(kb.openssh_.dataset), "openssh");
  kb.build_indexes();
  return kb;
}

}  // namespace premigrate::kb
