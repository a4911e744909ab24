// The inventory's JSON forms: the streamed writer equals to_json, and to_json round-trips.
#include <catch2/catch.hpp>
#include <sstream>

#include "facts/inventory.hpp"

using premigrate::facts::Inventory;

namespace {
Inventory sample() {
  Inventory inv;
  inv.root = "/images/golden";
  premigrate::facts::Package p;
  p.name = "acme";
  p.epoch = 1;
  p.version = "1.0";
  p.release = "1.el7";
  p.arch = "x86_64";
  p.requires_.push_back({"libssl.so.10()(64bit)", "", "", {"auto"}});
  p.files.push_back({"/opt/acme/bin/a\xff\xfe", 0100755, 10, "ab", "root", "root", "", {}});
  p.signature = premigrate::facts::Signature{"RSAHEADER", "RSA", "SHA256", "24c6a8a7f4a80eb5", 1};
  inv.packages.push_back(p);
  premigrate::facts::ElfObject e;
  e.path = "/opt/acme/bin/a";
  e.needed = {"libssl.so.10", "libc.so.6"};
  e.verneed.push_back({"libc.so.6", {"GLIBC_2.2.5"}});
  inv.elf_objects.push_back(e);
  inv.host.os_release["ID"] = "centos";
  inv.collectors.push_back({"rpmdb", premigrate::facts::CollectorState::kOk, ""});
  return inv;
}
}  // namespace

TEST_CASE("write_json streams the same document as to_json, invalid UTF-8 replaced") {
  const Inventory inv = sample();
  std::ostringstream out;
  const nlohmann::json extra = {{"diagnostics", nlohmann::json::array({{{"code", "x"}}})},
                                {"tool", {{"name", "premigrate"}}}};
  premigrate::facts::write_json(out, inv, extra);
  auto streamed = nlohmann::json::parse(out.str());
  nlohmann::json expected = inv;
  expected = nlohmann::json::parse(
      expected.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  expected["diagnostics"] = extra["diagnostics"];
  expected["tool"] = extra["tool"];
  CHECK(streamed == expected);
  CHECK(streamed["packages"][0]["files"][0]["path"] == "/opt/acme/bin/a\xef\xbf\xbd\xef\xbf\xbd");
  // Keys come out sorted, as nlohmann's own dump sorts them.
  CHECK(out.str().find("\"cron_jobs\"") < out.str().find("\"packages\""));
}

TEST_CASE("to_json and from_json round-trip an inventory") {
  Inventory inv = sample();
  inv.packages[0].files[0].path = "/opt/acme/bin/a";
  nlohmann::json j = inv;
  Inventory back = j.get<Inventory>();
  CHECK(nlohmann::json(back) == j);
  CHECK(back.packages[0].epoch == 1u);
  CHECK(back.packages[0].nevra() == "acme-1:1.0-1.el7.x86_64");
}

TEST_CASE("status words round-trip through their tables; an unknown word is refused") {
  using premigrate::facts::CollectorState;
  using premigrate::facts::ReadStatus;
  for (const auto s : {CollectorState::kOk, CollectorState::kPartial, CollectorState::kFailed,
                       CollectorState::kSkipped}) {
    const nlohmann::json j = s;
    REQUIRE(j.is_string());
    CHECK(premigrate::facts::parse_collector_state(j.get<std::string>()) == s);
    CHECK(j.get<CollectorState>() == s);
  }
  for (const auto s : {ReadStatus::kOk, ReadStatus::kMissing, ReadStatus::kNotRegular,
                       ReadStatus::kTooLarge, ReadStatus::kUnreadable}) {
    const nlohmann::json j = s;
    CHECK(premigrate::facts::parse_read_status(j.get<std::string>()) == s);
  }
  CHECK(nlohmann::json(ReadStatus::kNotRegular) == "not_regular");
  CHECK(nlohmann::json(CollectorState::kSkipped) == "skipped");
  CHECK_THROWS_WITH(nlohmann::json("done").get<CollectorState>(),
                    "unknown collector status \"done\" (expected ok, partial, failed, skipped)");
  CHECK_THROWS_AS(nlohmann::json(3).get<ReadStatus>(), nlohmann::json::type_error);
}
