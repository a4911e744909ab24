// Package naming (NEVRA) and its JSON form. JSON keys use rpm's tag words.
#include <nlohmann/json.hpp>

#include "facts/inventory.hpp"

namespace premigrate::facts {

std::string Package::evr() const {
  std::string s;
  if (epoch) s = std::to_string(*epoch) + ":";
  s += version;
  if (!release.empty()) s += "-" + release;
  return s;
}

std::string Package::nvra() const {
  std::string s = name + "-" + version + "-" + release;
  if (!arch.empty()) s += "." + arch;
  return s;
}

std::string Package::nevra() const {
  std::string s = name + "-" + evr();
  if (!arch.empty()) s += "." + arch;
  return s;
}

void to_json(nlohmann::json& j, const Dependency& v) {
  j = {{"name", v.name}, {"op", v.op}, {"evr", v.evr}, {"qualifiers", v.qualifiers}};
}
void from_json(const nlohmann::json& j, Dependency& v) {
  j.at("name").get_to(v.name);
  j.at("op").get_to(v.op);
  j.at("evr").get_to(v.evr);
  j.at("qualifiers").get_to(v.qualifiers);
}

void to_json(nlohmann::json& j, const Package& v) {
  j = nlohmann::json::object();
  j["name"] = v.name;
  j["epoch"] = v.epoch;
  j["version"] = v.version;
  j["release"] = v.release;
  j["arch"] = v.arch;
  j["nevra"] = v.nevra();
  j["vendor"] = v.vendor;
  j["packager"] = v.packager;
  j["buildhost"] = v.buildhost;
  j["buildtime"] = v.buildtime;
  j["installtime"] = v.installtime;
  j["sourcerpm"] = v.sourcerpm;
  j["license"] = v.license;
  j["summary"] = v.summary;
  j["url"] = v.url;
  j["size"] = v.size;
  j["sigmd5"] = v.sigmd5;
  j["modularitylabel"] = v.modularitylabel;
  j["file_digest_algo"] = v.file_digest_algo;
  j["signature"] = v.signature;
  j["requires"] = v.requires_;
  j["provides"] = v.provides;
  j["obsoletes"] = v.obsoletes;
  j["conflicts"] = v.conflicts;
  j["files"] = v.files;
  j["db_instance"] = v.db_instance;
}

void from_json(const nlohmann::json& j, Package& v) {
  j.at("name").get_to(v.name);
  j.at("epoch").get_to(v.epoch);
  j.at("version").get_to(v.version);
  j.at("release").get_to(v.release);
  j.at("arch").get_to(v.arch);
  j.at("vendor").get_to(v.vendor);
  j.at("packager").get_to(v.packager);
  j.at("buildhost").get_to(v.buildhost);
  j.at("buildtime").get_to(v.buildtime);
  j.at("installtime").get_to(v.installtime);
  j.at("sourcerpm").get_to(v.sourcerpm);
  j.at("license").get_to(v.license);
  j.at("summary").get_to(v.summary);
  j.at("url").get_to(v.url);
  j.at("size").get_to(v.size);
  j.at("sigmd5").get_to(v.sigmd5);
  j.at("modularitylabel").get_to(v.modularitylabel);
  j.at("file_digest_algo").get_to(v.file_digest_algo);
  j.at("signature").get_to(v.signature);
  j.at("requires").get_to(v.requires_);
  j.at("provides").get_to(v.provides);
  j.at("obsoletes").get_to(v.obsoletes);
  j.at("conflicts").get_to(v.conflicts);
  j.at("files").get_to(v.files);
  j.at("db_instance").get_to(v.db_instance);
}

}  // namespace premigrate::facts
