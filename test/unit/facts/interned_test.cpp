// facts::Interned: one id per distinct string, text order, JSON as a plain string, and the
// same ids from concurrent threads (the ELF reader interns from the walk's workers).
#include "facts/interned.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "facts/elf_object.hpp"

using premigrate::facts::Interned;

TEST_CASE("equal strings share one id and one copy; the empty string is the default") {
  const std::string a = "GLIBC_2.2.5";
  const Interned x(a), y(std::string("GLIBC_") + "2.2.5");
  CHECK(x == y);
  CHECK(x.id() == y.id());
  CHECK(x.view() == "GLIBC_2.2.5");
  CHECK(x.view().data() == y.view().data());  // stored once
  CHECK_FALSE(x == Interned("GLIBC_2.14"));
  CHECK(Interned().empty());
  CHECK(Interned("") == Interned());
  CHECK(Interned().view().empty());
  const auto before = premigrate::facts::intern_stats();
  const Interned again("GLIBC_2.2.5");
  CHECK(premigrate::facts::intern_stats().strings == before.strings);
  CHECK(again == x);
}

TEST_CASE("interned strings sort by their text, not by when they were interned") {
  std::vector<Interned> v = {Interned("zz_interned_first"), Interned("aa_interned_second"),
                             Interned("mm_interned_third"), Interned()};
  std::sort(v.begin(), v.end());
  CHECK(v[0].view().empty());
  CHECK(v[1].view() == "aa_interned_second");
  CHECK(v[2].view() == "mm_interned_third");
  CHECK(v[3].view() == "zz_interned_first");
  CHECK(Interned("abc") < Interned("abd"));
  CHECK(Interned("ab") < Interned("abc"));
}

TEST_CASE("an ELF symbol's JSON holds plain strings and reads back to the same ids") {
  const premigrate::facts::ElfSymbol s{"SSL_library_init", "OPENSSL_1.0.1", "libssl.so.10", true};
  const nlohmann::json j = s;
  CHECK(j == nlohmann::json{{"name", "SSL_library_init"},
                            {"version", "OPENSSL_1.0.1"},
                            {"library", "libssl.so.10"},
                            {"weak", true}});
  CHECK(j.get<premigrate::facts::ElfSymbol>() == s);
}

TEST_CASE("threads interning the same names get the same ids") {
  constexpr int kNames = 20000;
  auto work = [](std::vector<std::uint32_t>& ids, bool reverse) {
    ids.resize(kNames);
    for (int k = 0; k < kNames; ++k) {
      const int i = reverse ? kNames - 1 - k : k;
      ids[i] = Interned("thread_test_symbol_" + std::to_string(i)).id();
    }
  };
  std::vector<std::uint32_t> a, b;
  std::thread t1(work, std::ref(a), false), t2(work, std::ref(b), true);
  t1.join();
  t2.join();
  CHECK(a == b);
  for (int i = 0; i < kNames; i += 997) {
    CHECK(Interned("thread_test_symbol_" + std::to_string(i)).id() == a[i]);
  }
}

TEST_CASE("the sharded pool past its first id block: ids unique, text read back by any thread") {
  // 2 x 60,000 new names (past the first 65,536-id block and many table growths per shard),
  // half of them shared between the two threads.
  constexpr std::size_t kNames = 60000;
  auto work = [](std::vector<Interned>& ids, const std::string& own) {
    ids.resize(2 * kNames);
    for (std::size_t i = 0; i < kNames; ++i) {
      ids[2 * i] = Interned("shared_block_name_" + std::to_string(i));
      ids[2 * i + 1] = Interned(own + std::to_string(i));
    }
  };
  std::vector<Interned> a, b;
  std::thread t1(work, std::ref(a), "own_a_"), t2(work, std::ref(b), "own_b_");
  t1.join();
  t2.join();
  std::set<std::uint32_t> distinct;
  for (std::size_t i = 0; i < kNames; ++i) {
    REQUIRE(a[2 * i] == b[2 * i]);
    distinct.insert({a[2 * i].id(), a[2 * i + 1].id(), b[2 * i + 1].id()});
  }
  CHECK(distinct.size() == 3 * kNames);
  for (std::size_t i = 0; i < kNames; i += 1013) {  // handles made by the other threads, read here
    CHECK(b[2 * i + 1].view() == "own_b_" + std::to_string(i));
    CHECK(a[2 * i].view() == "shared_block_name_" + std::to_string(i));
  }
}
