// core::run_parallel_jobs: every job runs once, on at most the threads asked for, and the error
// of the lowest index is the one rethrown.
#include "core/parallel_jobs.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using premigrate::core::run_parallel_jobs;

TEST_CASE("run_parallel_jobs runs every job once, each writing its own slot") {
  std::vector<int> slots(50, 0);
  std::mutex mu;
  std::set<std::thread::id> threads;
  run_parallel_jobs(slots.size(), 2, [&](std::size_t i) {
    slots[i] += static_cast<int>(i) + 1;
    const std::lock_guard lock(mu);
    threads.insert(std::this_thread::get_id());
  });
  for (std::size_t i = 0; i < slots.size(); ++i) CHECK(slots[i] == static_cast<int>(i) + 1);
  CHECK(threads.size() <= 2);
}

TEST_CASE("run_parallel_jobs with one thread runs the jobs in index order on the caller") {
  const auto caller = std::this_thread::get_id();
  std::vector<std::size_t> seen;
  bool elsewhere = false;
  run_parallel_jobs(5, 1, [&](std::size_t i) {
    elsewhere = elsewhere || std::this_thread::get_id() != caller;
    seen.push_back(i);
  });
  CHECK_FALSE(elsewhere);
  CHECK(seen == std::vector<std::size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("run_parallel_jobs rethrows the lowest index's error after every job ran") {
  std::atomic<int> ran{0};
  const auto jobs = [&](std::size_t i) {
    ++ran;
    if (i == 3 || i == 7) throw std::runtime_error("job " + std::to_string(i));
  };
  for (unsigned threads : {1U, 2U}) {
    ran = 0;
    try {
      run_parallel_jobs(10, threads, jobs);
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "job 3");
    }
    CHECK(ran == 10);
  }
}

TEST_CASE("run_parallel_jobs with no jobs calls nothing") {
  bool called = false;
  run_parallel_jobs(0, 2, [&](std::size_t) { called = true; });
  CHECK_FALSE(called);
}
