// The shipped packs: schema validation (C++ validator for all, python3-jsonschema for two),
// spot checks of known facts, and load time.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "kb/kb.hpp"
#include "kb/pack_format.hpp"
#include "kb/validate.hpp"
#include "support/skip.hpp"
#include "test_util.hpp"

using namespace premigrate::kb;
const std::filesystem::path kKb = PREMIGRATE_KB_DIR;

TEST_CASE("every shipped pack passes the structural validator", "[kb][packs]") {
  std::size_t checked = 0;
  const auto problems = validate_dir(kKb, checked);
  CHECK(checked == 24);
  for (const auto& p : problems) FAIL_CHECK(p);
}

TEST_CASE("shipped packs validate against kb-pack.schema.json with python3-jsonschema",
          "[kb][packs]") {
  const std::string py = PREMIGRATE_PYTHON3;
  if (py.empty() || std::system((py + " -c 'import jsonschema' 2>/dev/null").c_str()) != 0) {
    PREMIGRATE_SKIP(
        "python3 with the jsonschema module not found (apt-get install "
        "python3-jsonschema)");
  }
  const auto script = test::write(std::filesystem::path(PREMIGRATE_TEST_TMP) / "schema_check.py",
                                  "import json, sys, jsonschema\n"
                                  "schema = json.load(open(sys.argv[1]))\n"
                                  "v = jsonschema.Draft202012Validator(schema)\n"
                                  "bad = 0\n"
                                  "for f in sys.argv[2:]:\n"
                                  "    for e in v.iter_errors(json.load(open(f))):\n"
                                  "        print(f, list(e.path), e.message); bad += 1\n"
                                  "sys.exit(1 if bad else 0)\n");
  // The two shapes of pack (x86_64 with binary data, aarch64 without); all packs share a schema
  // and the C++ validator checks every one.
  const std::string packs =
      (kKb / "packs/centos-7_to_openeuler-22.03-lts-sp3_x86_64.json").string() + " " +
      (kKb / "packs/centos-8_to_openeuler-24.03-lts-sp1_aarch64.json").string();
  CHECK(std::system((py + " " + script.string() + " " +
                     (kKb / "schema/kb-pack.schema.json").string() + " " + packs)
                        .c_str()) == 0);
  // And a broken pack must fail the schema.
  auto broken = read_json_file(kKb / "packs/centos-8_to_openeuler-24.03-lts-sp1_aarch64.json");
  broken["kabi"][0][4] = "yes";
  const auto bad =
      test::write(std::filesystem::path(PREMIGRATE_TEST_TMP) / "broken_pack.json", broken.dump());
  CHECK(std::system((py + " " + script.string() + " " +
                     (kKb / "schema/kb-pack.schema.json").string() + " " + bad.string() +
                     " >/dev/null")
                        .c_str()) != 0);
}

TEST_CASE("spot checks of known facts in the shipped packs", "[kb][packs]") {
  const auto sp3 = load(kKb, "openeuler-20.03-lts-sp3", "x86_64", "centos-7");
  auto libssl = sp3.soname_providers("libssl.so.1.1");
  REQUIRE_FALSE(libssl.empty());
  CHECK(libssl[0].package == "openssl-libs");
  CHECK(sp3.providers_of("libssl.so.1.1()(64bit)").at(0).dataset == "primary-20.03-sp3");
  CHECK(sp3.package_fate("python2").kind == FateKind::kPresent);
  CHECK(sp3.source_package("python2").has_value());
  CHECK(sp3.kernel().version == "4.19.90");
  CHECK(sp3.shipped_file("/usr/bin/python3").has_value());

  const auto oe2203 = load(kKb, "openeuler-22.03", "x86_64", "centos-7");
  CHECK(oe2203.target().id == "openeuler-22.03-lts-sp4");
  CHECK_FALSE(oe2203.source_package("python2").has_value());
  // Carried from SP3 (derived) and declared complete like its base, so both give one answer.
  CHECK(oe2203.coverage("binary_packages").status == CoverageStatus::kComplete);
  CHECK_FALSE(oe2203.datasets().at(1).derived_from.empty());
  CHECK(oe2203.kernel().version == "5.10.0");
  auto kabi = oe2203.kabi_symbol("acpi_bus_register_driver");
  CHECK(kabi.found);
  CHECK(kabi.symbol.crc == "0x8c7f3019");
  CHECK(oe2203.package_fate("ntp").kind != FateKind::kUnknown);
  CHECK(oe2203.openssh_keyword("sshd_config", "UsePrivilegeSeparation").status == "deprecated");

  const auto sp3_22 = load(kKb, "openeuler-22.03-lts-sp3", "x86_64", "centos-8");
  CHECK(sp3_22.coverage("binary_packages").status == CoverageStatus::kComplete);
  CHECK(sp3_22.package_fate("python2").kind == FateKind::kRemoved);
  CHECK(sp3_22.coverage("evolution").status == CoverageStatus::kPartial);

  const auto arm = load(kKb, "", "aarch64", "centos-8");
  CHECK(arm.target().id == "openeuler-24.03-lts-sp1");
  // aarch64: the x86_64 list less x86_64-only names (derived), so fates are as good as x86_64's.
  CHECK(arm.coverage("binary_packages").status == CoverageStatus::kComplete);
  CHECK(arm.package_fate("bash").kind == FateKind::kPresent);
  CHECK(arm.package_fate("bash").evidence == "derived");
  CHECK(arm.package_fate("microcode_ctl").kind != FateKind::kPresent);
  CHECK(arm.package_fate("grub2-efi-aa64").kind == FateKind::kPresent);
  CHECK(load(kKb, "", "x86_64", "centos-8").package_fate("microcode_ctl").kind ==
        FateKind::kPresent);
  CHECK(arm.source_kabi_symbol("__alloc_skb").found);
}

// Load time is measured by the benchmark (bench/), never by a timed unit test.
TEST_CASE("the largest pack loads with every fact kind", "[kb][packs]") {
  const auto file = kKb / "packs/centos-7_to_openeuler-20.03-lts-sp3_x86_64.json";
  const auto kb = read_pack_file(file);
  CHECK(kb.count("binary_packages") > 10000);
  CHECK(kb.count("provides") > 0);
  CHECK(kb.kabi_size() > 0);
}

TEST_CASE("load_all loads every arch's pack, in the order asked, as load does", "[kb][packs]") {
  const std::vector<std::string> archs = {"aarch64", "x86_64"};
  const auto packs = load_all(kKb, "", archs, "centos-8");
  REQUIRE(packs.size() == 2);
  for (std::size_t i = 0; i < archs.size(); ++i) {
    const auto one = load(kKb, "", archs[i], "centos-8");
    CHECK(packs[i].arch() == archs[i]);
    CHECK(packs[i].file() == one.file());
    CHECK(packs[i].package_fate("microcode_ctl").kind == one.package_fate("microcode_ctl").kind);
  }
  CHECK(load_all(kKb, "", {}, "centos-8").empty());
  // A missing pack fails the whole load, with the first failing arch (in the order asked) named,
  // whichever thread finishes first.
  try {
    (void)load_all(kKb, "", {"x86_64", "sparc", "mips"}, "centos-8");
    FAIL("no error for an arch without a pack");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()).find("sparc") != std::string::npos);
    CHECK(std::string(e.what()).find("mips") == std::string::npos);
  }
}
