// run_every: the loop behind every background task. It must keep calling, survive
// a failing call, and let shutdown through at once rather than after a period.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/run_every.hpp"

using namespace cloudretail;
using namespace std::chrono_literals;

namespace {

/// Waits (up to 5 s) until `done` holds; true when it did.
template <typename Pred>
bool eventually(Pred done) {
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace

TEST(RunEvery, CallsAtOnceThenEveryPeriod) {
  std::atomic<int> calls{0};
  std::jthread loop([&](std::stop_token stop) { run_every(5ms, stop, [&] { ++calls; }); });
  EXPECT_TRUE(eventually([&] { return calls.load() >= 5; })) << calls.load();
}

TEST(RunEvery, FirstCallDoesNotWaitForAPeriod) {
  std::atomic<int> calls{0};
  std::jthread loop([&](std::stop_token stop) { run_every(1h, stop, [&] { ++calls; }); });
  EXPECT_TRUE(eventually([&] { return calls.load() == 1; }));
}

TEST(RunEvery, StopsPromptlyInTheMiddleOfALongPeriod) {
  std::atomic<int> calls{0};
  std::stop_source stop;
  std::jthread loop([&] { run_every(1h, stop.get_token(), [&] { ++calls; }); });
  ASSERT_TRUE(eventually([&] { return calls.load() == 1; }));
  auto t0 = std::chrono::steady_clock::now();
  stop.request_stop();
  loop.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
  EXPECT_EQ(calls.load(), 1);
}

TEST(RunEvery, NeverCallsWhenStoppedBeforeStart) {
  std::stop_source stop;
  stop.request_stop();
  int calls = 0;
  run_every(1ms, stop.get_token(), [&] { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(RunEvery, AFailingCallDoesNotEndTheLoop) {
  std::atomic<int> calls{0};
  std::jthread loop([&](std::stop_token stop) {
    run_every(
        1ms, stop,
        [&] {
          ++calls;
          throw std::runtime_error("database is down");
        },
        "test task");
  });
  EXPECT_TRUE(eventually([&] { return calls.load() >= 3; })) << calls.load();
}
