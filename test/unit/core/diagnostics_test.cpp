// Diagnostics fold duplicates, stay bounded, and sort deterministically.
#include "core/diagnostics.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using premigrate::core::Diagnostics;

TEST_CASE("identical diagnostics fold into one with a count") {
  Diagnostics d;
  d.warn("elf.truncated", "/opt/a", "section header table past end of file", "offset 0x40");
  d.warn("elf.truncated", "/opt/a", "section header table past end of file", "offset 0x40");
  d.warn("elf.truncated", "/opt/b", "section header table past end of file", "offset 0x40");
  auto v = d.sorted();
  REQUIRE(v.size() == 2);
  CHECK(v[0].path == "/opt/a");
  CHECK(v[0].count == 2);
  CHECK(v[1].count == 1);
  CHECK(d.has_code("elf.truncated"));
  CHECK_FALSE(d.has_code("rpmdb.open"));
}

TEST_CASE("past the per-code cap, diagnostics are counted, not stored") {
  Diagnostics d;
  for (std::size_t i = 0; i < Diagnostics::kMaxPerCode + 10; ++i) {
    d.warn("walk.unreadable", "/f" + std::to_string(i), "permission denied");
  }
  d.warn("other.code", "/x", "still recorded");
  CHECK(d.size() == Diagnostics::kMaxPerCode + 1);
  CHECK(d.suppressed().at("walk.unreadable") == 10);
}

TEST_CASE("past the cap, the entries kept do not depend on the order they came in") {
  // Workers report in any order; the kept set must be the same every run (the smallest keys).
  const std::size_t n = Diagnostics::kMaxPerCode + 300;
  auto fill = [&](Diagnostics& d, bool reverse) {
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = reverse ? n - 1 - k : (k * 7919) % n;  // 7919 is prime to n
      char name[16];
      std::snprintf(name, sizeof name, "/f%05zu", i);
      d.warn("walk.unreadable", name, "permission denied");
      if (i % 100 == 0) d.warn("walk.unreadable", name, "permission denied");  // folded twice
    }
  };
  Diagnostics a, b;
  fill(a, false);
  fill(b, true);
  const auto va = a.sorted(), vb = b.sorted();
  REQUIRE(va.size() == Diagnostics::kMaxPerCode);
  REQUIRE(vb.size() == va.size());
  for (std::size_t i = 0; i < va.size(); ++i) {
    CHECK(va[i].path == vb[i].path);
    CHECK(va[i].count == vb[i].count);
  }
  CHECK(va.front().path == "/f00000");
  CHECK(va.front().count == 2);
  CHECK(va.back().path == "/f01999");
  // Every occurrence is accounted for: kept counts plus suppressed counts.
  for (const auto* d : {&a, &b}) {
    std::size_t kept = 0;
    for (const auto& x : d->sorted()) kept += x.count;
    CHECK(kept + d->suppressed().at("walk.unreadable") == n + n / 100);
  }
}

TEST_CASE("order does not depend on insertion order or threads") {
  Diagnostics a;
  Diagnostics b;
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&a, t] {
      for (int i = 0; i < 100; ++i) a.warn("c", "/p" + std::to_string((i * 7 + t) % 50), "m");
    });
  }
  for (auto& t : ts) t.join();
  for (int i = 49; i >= 0; --i)
    b.add({premigrate::core::DiagLevel::kWarning, "c", "/p" + std::to_string(i), "", "m", 8});
  auto va = a.sorted();
  auto vb = b.sorted();
  REQUIRE(va.size() == vb.size());
  for (std::size_t i = 0; i < va.size(); ++i) {
    CHECK(va[i].path == vb[i].path);
    CHECK(va[i].count == vb[i].count);
  }
}
