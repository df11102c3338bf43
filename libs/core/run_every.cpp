#include "core/run_every.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <exception>
#include <mutex>

namespace cloudretail {

void run_every(std::chrono::milliseconds period, std::stop_token stop, const std::function<void()>& fn,
               std::string_view what) {
  // Nothing notifies this variable: the stop token's callback is what wakes the wait.
  std::mutex mutex;
  std::condition_variable_any wake;
  while (!stop.stop_requested()) {
    try {
      fn();
    } catch (const std::exception& e) {
      spdlog::warn("{}: {}", what, e.what());
    }
    std::unique_lock lock(mutex);
    wake.wait_for(lock, stop, period, [] { return false; });
  }
}

}  // namespace cloudretail
