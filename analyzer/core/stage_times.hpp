// Wall time per stage of a run (walk, ELF, rpmdb, KB load, analysis, render...), kept by
// timers in the code and printed on stderr by `--timings`, for bench/ and for users.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>

namespace premigrate::core {

enum class Stage : std::size_t {
  kRpmdb,      // reading the rpmdb
  kWalk,       // the parallel file walk, wall (it holds the ELF, kmod and script readers)
  kElf,        // ELF readers, summed over the walk's workers
  kKmod,       // kernel-module readers, summed over the walk's workers
  kConfig,     // services, cron, config files, host facts (beside the walk, on their own thread)
  kRootReads,  // files the analysis asked for by name
  kKbLoad,     // knowledge-base packs
  kAnalysis,   // the checks, every architecture
  kRender,     // report model and every format written
  kCount
};

// Adds `d` to the stage's total; thread-safe (atomics), cheap enough to call once per file.
void add_stage_time(Stage s, std::chrono::steady_clock::duration d);

// Times a scope (or until stop()) into a stage.
class StageTimer {
 public:
  explicit StageTimer(Stage s);
  ~StageTimer() { stop(); }
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;
  StageTimer(StageTimer&&) = delete;
  StageTimer& operator=(StageTimer&&) = delete;
  void stop();

 private:
  Stage stage_;
  std::chrono::steady_clock::time_point start_;
  bool stopped_ = false;
};

// One line per stage that ran ("premigrate: timing walk 812.4 ms (from 60.2 to 872.6 ms of the
// run)": its total, then when its timers first started and last stopped, so that what ran
// beside what can be read off), and the process's wall time since the first timer started.
void print_stage_times(std::ostream& out);

// Prints the stage times on stderr when it goes out of scope, if `enabled` (a command's
// `--timings`), on every way out of the command.
class StageTimesReport {
 public:
  explicit StageTimesReport(bool enabled);  // starts the total's clock
  ~StageTimesReport();
  StageTimesReport(const StageTimesReport&) = delete;
  StageTimesReport& operator=(const StageTimesReport&) = delete;
  StageTimesReport(StageTimesReport&&) = delete;
  StageTimesReport& operator=(StageTimesReport&&) = delete;

 private:
  bool enabled_;
};

}  // namespace premigrate::core
