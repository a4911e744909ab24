// The process-wide stage totals behind StageTimer and their printout.
#include "core/stage_times.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <limits>

namespace premigrate::core {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t kNoSpan = std::numeric_limits<std::int64_t>::max();

struct Totals {
  std::array<std::atomic<std::int64_t>, static_cast<std::size_t>(Stage::kCount)> ns{};
  std::array<std::atomic<bool>, static_cast<std::size_t>(Stage::kCount)> ran{};
  // When each stage's timers first started and last stopped, in ns since `start` (kNoSpan /
  // -1: no timer has stopped): where a stage sat in the run, and what overlapped it.
  std::array<std::atomic<std::int64_t>, static_cast<std::size_t>(Stage::kCount)> first{};
  std::array<std::atomic<std::int64_t>, static_cast<std::size_t>(Stage::kCount)> last{};
  Clock::time_point start = Clock::now();  // the first use: StageTimesReport, or a timer
  Totals() {
    for (auto& f : first) f.store(kNoSpan);
    for (auto& l : last) l.store(-1);
  }
};

Totals& totals() {
  static Totals t;
  return t;
}

constexpr std::array<const char*, static_cast<std::size_t>(Stage::kCount)> kNames = {
    "rpmdb", "walk", "elf", "kmod", "config", "root_reads", "kb_load", "analysis", "render"};

std::string ms(std::int64_t ns) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.1f", static_cast<double>(ns) / 1e6);
  return buf.data();
}

}  // namespace

void add_stage_time(Stage s, Clock::duration d) {
  auto& t = totals();
  const auto i = static_cast<std::size_t>(s);
  t.ns[i].fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(),
                    std::memory_order_relaxed);
  t.ran[i].store(true, std::memory_order_relaxed);
}

// The process's epoch is taken first, so that a span never starts before it.
StageTimer::StageTimer(Stage s) : stage_(s), start_(((void)totals(), Clock::now())) {}

void StageTimer::stop() {
  if (stopped_) return;
  stopped_ = true;
  const auto end = Clock::now();
  add_stage_time(stage_, end - start_);
  auto& t = totals();
  const auto i = static_cast<std::size_t>(stage_);
  const auto since = [&](Clock::time_point p) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(p - t.start).count();
  };
  const std::int64_t from = since(start_), to = since(end);
  for (auto f = t.first[i].load(std::memory_order_relaxed);
       from < f && !t.first[i].compare_exchange_weak(f, from, std::memory_order_relaxed);) {
  }
  for (auto l = t.last[i].load(std::memory_order_relaxed);
       to > l && !t.last[i].compare_exchange_weak(l, to, std::memory_order_relaxed);) {
  }
}

void print_stage_times(std::ostream& out) {
  auto& t = totals();
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (!t.ran[i].load(std::memory_order_relaxed)) continue;
    out << "premigrate: timing " << kNames[i] << ' ' << ms(t.ns[i].load(std::memory_order_relaxed))
        << " ms";
    const bool summed =
        i == static_cast<std::size_t>(Stage::kElf) || i == static_cast<std::size_t>(Stage::kKmod);
    const auto first = t.first[i].load(std::memory_order_relaxed);
    const auto last = t.last[i].load(std::memory_order_relaxed);
    if (summed || first <= last) {
      out << " (";
      if (summed) out << "summed over the walk's workers";
      if (first <= last)
        out << (summed ? "; " : "") << "from " << ms(first) << " to " << ms(last)
            << " ms of the run";
      out << ')';
    }
    out << '\n';
  }
  out << "premigrate: timing total "
      << ms(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t.start).count())
      << " ms\n";
}

StageTimesReport::StageTimesReport(bool enabled) : enabled_(enabled) { (void)totals(); }

StageTimesReport::~StageTimesReport() {
  if (enabled_) print_stage_times(std::cerr);
}

}  // namespace premigrate::core
