// Inventory canonical order and JSON form (keys sorted by nlohmann's std::map objects).
#include "facts/inventory.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "facts/elf_json.hpp"

namespace premigrate::facts {

namespace {
// A stable sort by key(element). The keys (copies of paths and names) are made once per element
// and the elements moved once, instead of two keys made per comparison and elements moved at
// every merge: on a root of 15,000 ELF objects this was tens of milliseconds after the walk.
template <typename T, typename Key>
void sort_by(std::vector<T>& v, Key key) {
  using K = decltype(key(v.front()));
  std::vector<std::pair<K, std::size_t>> keyed;
  keyed.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) keyed.emplace_back(key(v[i]), i);
  // Equal keys keep their index order: the order a stable sort of the elements gives.
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<T> sorted;
  sorted.reserve(v.size());
  for (auto& k : keyed) sorted.push_back(std::move(v[k.second]));
  v.swap(sorted);
}
}  // namespace

void Inventory::canonicalize() {
  sort_by(packages, [](const Package& p) {
    return std::make_tuple(p.name, p.epoch.value_or(0), p.version, p.release, p.arch,
                           p.db_instance);
  });
  for (auto& p : packages) {
    sort_by(p.files, [](const PackageFile& f) { return f.path; });
  }
  sort_by(elf_objects, [](const ElfObject& o) { return o.path; });
  sort_by(kernel_modules, [](const KernelModule& m) { return m.path; });
  sort_by(scripts, [](const Script& s) { return s.path; });
  sort_by(services, [](const ServiceUnit& s) { return std::make_tuple(s.kind, s.name, s.path); });
  sort_by(cron_jobs, [](const CronJob& c) { return std::make_tuple(c.path, c.command); });
  sort_by(config_files, [](const ConfigFile& c) { return c.path; });
  sort_by(collectors, [](const CollectorStatus& c) { return c.name; });
  std::sort(host.kernels.begin(), host.kernels.end());
  std::sort(host.architectures.begin(), host.architectures.end());
  std::sort(host.enabled_services.begin(), host.enabled_services.end());
  sort_by(host.repos, [](const RepoDef& r) { return std::make_tuple(r.file, r.id); });
  root_reads.canonicalize();
}

void to_json(nlohmann::json& j, const Inventory& v) {
  j = nlohmann::json::object();
  j["schema_version"] = kInventorySchemaVersion;
  j["root"] = v.root;
  j["host"] = v.host;
  j["rpmdb"] = v.rpmdb;
  j["packages"] = v.packages;
  j["elf_objects"] = v.elf_objects;
  j["kernel_modules"] = v.kernel_modules;
  j["scripts"] = v.scripts;
  j["services"] = v.services;
  j["cron_jobs"] = v.cron_jobs;
  j["config_files"] = v.config_files;
  j["walk"] = v.walk;
  j["root_reads"] = v.root_reads;
  j["collectors"] = v.collectors;
}

namespace {
std::string dump_line(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
// One element per line; `append(i, text)` appends the i-th element's compact JSON to `text`.
// Lines are gathered into blocks of about 1 MiB, so the stream sees few large writes.
template <typename Append>
void write_lines(std::ostream& out, std::size_t n, Append append) {
  if (n == 0) {
    out << "[]";
    return;
  }
  constexpr std::size_t kBlock = std::size_t{1} << 20;
  std::string text = "[\n";
  for (std::size_t i = 0; i < n; ++i) {
    text += "    ";
    append(i, text);
    text += i + 1 < n ? ",\n" : "\n";
    if (text.size() >= kBlock) {
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      text.clear();
    }
  }
  text += "  ]";
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}
template <typename T>
void write_list(std::ostream& out, const std::vector<T>& v) {
  write_lines(out, v.size(),
              [&](std::size_t i, std::string& text) { text += dump_line(nlohmann::json(v[i])); });
}
// ELF objects (the bulk of an inventory, thousands of symbols each) without a json tree.
void write_list(std::ostream& out, const std::vector<ElfObject>& v) {
  write_lines(out, v.size(), [&](std::size_t i, std::string& text) { append_json(text, v[i]); });
}
}  // namespace

void write_json(std::ostream& out, const Inventory& v, const nlohmann::json& extra) {
  using Writer = std::function<void()>;
  std::map<std::string, Writer> members = {
      {"schema_version", [&] { out << kInventorySchemaVersion; }},
      {"root", [&] { out << dump_line(v.root); }},
      {"host", [&] { out << dump_line(nlohmann::json(v.host)); }},
      {"rpmdb", [&] { out << dump_line(nlohmann::json(v.rpmdb)); }},
      {"packages", [&] { write_list(out, v.packages); }},
      {"elf_objects", [&] { write_list(out, v.elf_objects); }},
      {"kernel_modules", [&] { write_list(out, v.kernel_modules); }},
      {"scripts", [&] { write_list(out, v.scripts); }},
      {"services", [&] { write_list(out, v.services); }},
      {"cron_jobs", [&] { write_list(out, v.cron_jobs); }},
      {"config_files", [&] { write_list(out, v.config_files); }},
      {"walk", [&] { out << dump_line(nlohmann::json(v.walk)); }},
      {"root_reads", [&] { out << dump_line(nlohmann::json(v.root_reads)); }},
      {"collectors", [&] { write_list(out, v.collectors); }},
  };
  for (const auto& item : extra.items()) {
    const nlohmann::json& value = item.value();  // a named reference: clang 14 cannot capture
    members[item.key()] = [&out, &value] {       // structured bindings (C++20 P1091)
      if (value.is_array()) {
        std::vector<nlohmann::json> items(value.begin(), value.end());
        write_list(out, items);
      } else {
        out << dump_line(value);
      }
    };
  }
  out << "{\n";
  std::size_t i = 0;
  for (const auto& [key, writer] : members) {
    out << "  " << dump_line(key) << ": ";
    writer();
    out << (++i < members.size() ? ",\n" : "\n");
  }
  out << "}\n";
}

void from_json(const nlohmann::json& j, Inventory& v) {
  j.at("root").get_to(v.root);
  j.at("host").get_to(v.host);
  j.at("rpmdb").get_to(v.rpmdb);
  j.at("packages").get_to(v.packages);
  j.at("elf_objects").get_to(v.elf_objects);
  j.at("kernel_modules").get_to(v.kernel_modules);
  j.at("scripts").get_to(v.scripts);
  j.at("services").get_to(v.services);
  j.at("cron_jobs").get_to(v.cron_jobs);
  j.at("config_files").get_to(v.config_files);
  j.at("walk").get_to(v.walk);
  if (j.contains("root_reads")) j.at("root_reads").get_to(v.root_reads);
  j.at("collectors").get_to(v.collectors);
}

}  // namespace premigrate::facts
