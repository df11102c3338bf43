#pragma once
/// Counts failures per key ("account:<email>", "ip:<addr>") in memory. After a
/// few free failures each further one blocks the key for 1 s, 2 s, 4 s … up to a
/// cap; while blocked, callers answer 429 with Retry-After. A key's history is
/// forgotten `window` after its last failure, so nobody is locked out for good.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"

namespace cloudretail::auth {

struct ThrottlePolicy {
  int free_failures = 5;
  int64_t window_ms = 15 * 60 * 1000;
  int64_t base_block_ms = 1000;
  int64_t max_block_ms = 15 * 60 * 1000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(const Clock& clock, size_t max_keys = 100'000) : clock_(clock), max_keys_(max_keys) {}

  /// Milliseconds until the key may try again; 0 when not blocked.
  int64_t blocked_for_ms(const std::string& key);
  void record_failure(const std::string& key, const ThrottlePolicy& policy);
  void reset(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    int64_t last_failure_ms = 0;
    int64_t blocked_until_ms = 0;
    int64_t window_ms = 0;
  };
  void prune(int64_t now);

  const Clock& clock_;
  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace cloudretail::auth
