// core::StageTimer and print_stage_times: what --timings prints on stderr.
#include "core/stage_times.hpp"

#include <catch2/catch.hpp>
#include <sstream>
#include <thread>

using premigrate::core::Stage;

TEST_CASE("stage timers add up per stage, from any thread, and only stages that ran print") {
  {
    const premigrate::core::StageTimer t(Stage::kKbLoad);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::thread other(
      [] { premigrate::core::add_stage_time(Stage::kKbLoad, std::chrono::milliseconds(1000)); });
  other.join();
  premigrate::core::StageTimer stopped(Stage::kRender);
  stopped.stop();
  stopped.stop();  // a second stop adds nothing
  std::ostringstream out;
  premigrate::core::print_stage_times(out);
  const std::string text = out.str();
  INFO(text);
  const auto at = text.find("premigrate: timing kb_load ");
  REQUIRE(at != std::string::npos);
  const double ms = std::stod(text.substr(at + 27));
  CHECK(ms >= 1020.0);
  CHECK(ms < 1020.0 + 5000.0);
  // The span: from the timer's start to its stop (the 1000 ms added without a timer has none).
  const auto line = text.substr(at, text.find('\n', at) - at);
  const auto from = line.find("(from ");
  const auto to = line.find(" to ", from);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  CHECK(line.substr(line.size() - 15) == " ms of the run)");
  const double start = std::stod(line.substr(from + 6)), end = std::stod(line.substr(to + 4));
  CHECK(start >= 0.0);
  CHECK(end - start >= 19.8);
  CHECK(end - start < 1000.0);
  CHECK(text.find("premigrate: timing render ") != std::string::npos);
  CHECK(text.find("premigrate: timing walk ") == std::string::npos);  // never started here
  CHECK(text.find("premigrate: timing total ") != std::string::npos);
}
