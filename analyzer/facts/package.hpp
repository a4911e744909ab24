// Installed RPM packages as the rpmdb records them (tag names follow rpm's own words).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "facts/json_optional.hpp"

namespace premigrate::facts {

// One entry of REQUIRENAME/PROVIDENAME/OBSOLETENAME/CONFLICTNAME with its flags.
struct Dependency {
  std::string name;
  std::string op;                       // "", "<", "<=", "=", ">=", ">"
  std::string evr;                      // "" when unversioned
  std::vector<std::string> qualifiers;  // "pre", "post", "interp", "rpmlib", "config", ...
  bool operator==(const Dependency&) const = default;
};

struct PackageFile {
  std::string path;
  std::uint32_t mode = 0;  // st_mode bits as packaged
  std::uint64_t size = 0;
  std::string digest;  // hex, in the package's file digest algorithm; "" for dirs/links
  std::string user;
  std::string group;
  std::string linkto;              // symlink target, "" otherwise
  std::vector<std::string> flags;  // "config", "noreplace", "doc", "ghost", "license", ...
};

struct Signature {
  std::string tag;            // header tag it came from: RSAHEADER, DSAHEADER, SIGPGP, SIGGPG
  std::string pubkey_algo;    // "RSA", "DSA", "ECDSA", "EdDSA"
  std::string hash_algo;      // "SHA256", "SHA1", ...
  std::string key_id;         // 16 lower-case hex digits
  std::uint32_t created = 0;  // signature creation time, seconds since the epoch
};

struct Package {
  std::string name;
  std::optional<std::uint32_t> epoch;
  std::string version;
  std::string release;
  std::string arch;  // "" for gpg-pubkey pseudo packages
  std::string vendor;
  std::string packager;
  std::string buildhost;
  std::uint64_t buildtime = 0;
  std::uint64_t installtime = 0;
  std::string sourcerpm;
  std::string license;
  std::string summary;
  std::string url;
  std::uint64_t size = 0;
  std::string sigmd5;  // hex
  std::string modularitylabel;
  std::string file_digest_algo;  // "MD5" (CentOS 6/7), "SHA256", ...
  std::optional<Signature> signature;
  std::vector<Dependency> requires_;  // NOLINT(readability-identifier-naming): C++20 keyword
  std::vector<Dependency> provides;
  std::vector<Dependency> obsoletes;
  std::vector<Dependency> conflicts;
  std::vector<PackageFile> files;
  std::uint32_t db_instance = 0;  // header instance number in the rpmdb

  // name-[epoch:]version-release.arch, as `rpm -qa` prints with %{EPOCH}: prefix when set.
  [[nodiscard]] std::string nevra() const;
  // name-version-release.arch (what `rpm -qa` prints by default).
  [[nodiscard]] std::string nvra() const;
  [[nodiscard]] std::string evr() const;
};

// What was found where the rpmdb should be, and how it was read.
struct RpmDbInfo {
  std::string status = "missing";  // ok | missing | unsupported | corrupt
  std::string path;                // root-relative directory ("/var/lib/rpm")
  std::string backend;             // bdb | sqlite | ndb | unknown | ""
  std::string message;             // human explanation when status != ok
  std::uint64_t package_count = 0;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RpmDbInfo, status, path, backend, message, package_count)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PackageFile, path, mode, size, digest, user, group, linkto,
                                   flags)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Signature, tag, pubkey_algo, hash_algo, key_id, created)

// Written by hand: "requires" is a C++20 keyword, so the member is requires_.
void to_json(nlohmann::json& j, const Dependency& v);
void from_json(const nlohmann::json& j, Dependency& v);
void to_json(nlohmann::json& j, const Package& v);
void from_json(const nlohmann::json& j, Package& v);

}  // namespace premigrate::facts
