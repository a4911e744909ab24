// The process-wide stage totals behind StageTimer and their printout.
#include "core/stage_times.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <iostream>

namespace premigrate::core {

namespace {

using Clock = std::chrono::steady_clock;

struct Totals {
  std::array<std::atomic<std::int64_t>, static_cast<std::size_t>(Stage::kCount)> ns{};
  std::array<std::atomic<bool>, static_cast<std::size_t>(Stage::kCount)> ran{};
  Clock::time_point start = Clock::now();  // the first use: StageTimesReport, or a timer
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

void StageTimer::stop() {
  if (stopped_) return;
  stopped_ = true;
  add_stage_time(stage_, Clock::now() - start_);
}

void print_stage_times(std::ostream& out) {
  auto& t = totals();
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (!t.ran[i].load(std::memory_order_relaxed)) continue;
    out << "premigrate: timing " << kNames[i] << ' ' << ms(t.ns[i].load(std::memory_order_relaxed))
        << " ms";
    if (i == static_cast<std::size_t>(Stage::kElf) || i == static_cast<std::size_t>(Stage::kKmod))
      out << " (summed over the walk's workers)";
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
