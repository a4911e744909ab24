// PackPrefetch: the packs loaded ahead are used only for the source they were loaded for; an
// error of that load surfaces where a direct load's would.
#include "scan/pack_prefetch.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>

using premigrate::scan::PackPrefetch;
using premigrate::scan::Packs;

namespace {
// A loader that records what it was asked for: one "pack" per call, named after the source.
struct FakeLoader {
  std::atomic<int> calls{0};
  Packs operator()(const std::string& source) {
    ++calls;
    if (source == "broken") throw std::runtime_error("no pack for broken");
    Packs p;
    p.emplace_back(source, premigrate::kb::KnowledgeBase{});
    return p;
  }
};
}  // namespace

TEST_CASE("PackPrefetch hands over the packs loaded ahead for the same source") {
  FakeLoader fake;
  PackPrefetch ahead([&](const std::string& s) { return fake(s); }, "centos-7");
  const auto packs = ahead.take("centos-7");
  REQUIRE(packs.size() == 1);
  CHECK(packs[0].first == "centos-7");
  CHECK(fake.calls == 1);  // not loaded twice
}

TEST_CASE("PackPrefetch loads again when the facts name another source") {
  FakeLoader fake;
  PackPrefetch ahead([&](const std::string& s) { return fake(s); }, "broken");
  const auto packs = ahead.take("centos-8");  // the early load's error is dropped
  REQUIRE(packs.size() == 1);
  CHECK(packs[0].first == "centos-8");
  CHECK(fake.calls == 2);
}

TEST_CASE("PackPrefetch: the early load's error is thrown by take, and no source loads nothing") {
  FakeLoader fake;
  PackPrefetch ahead([&](const std::string& s) { return fake(s); }, "broken");
  CHECK_THROWS_WITH(ahead.take("broken"), "no pack for broken");
  PackPrefetch none([&](const std::string& s) { return fake(s); }, "");
  CHECK(fake.calls == 1);  // nothing started for ""
  CHECK(none.take("centos-7")[0].first == "centos-7");
  CHECK(fake.calls == 2);
}
