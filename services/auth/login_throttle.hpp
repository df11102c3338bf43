#pragma once
/// Counts events per key ("account:<email>", "ip:<addr>", "register:email:<e>", ...)
/// in memory, two ways:
/// - failures (record_failure): after a few free ones each further failure blocks the
///   key for 1 s, 2 s, 4 s … up to a cap; history is forgotten `window` after the last;
/// - quotas (take): at most `limit` events per fixed window, then blocked until the
///   window ends.
/// While blocked, callers answer 429 with Retry-After.
///
/// Memory is bounded by `max_keys`. When full, idle entries go first (window over,
/// not blocked), then counting-but-unblocked ones, least recently touched first. An
/// active block is never forgotten to make room: if every entry is blocked, the new
/// key is simply not tracked (its address key, tracked separately, still limits it).
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

struct Quota {
  int limit = 5;
  int64_t window_ms = 60 * 60 * 1000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(const Clock& clock, size_t max_keys = 100'000) : clock_(clock), max_keys_(max_keys) {}

  /// Milliseconds until the key may try again; 0 when not blocked.
  int64_t blocked_for_ms(const std::string& key);
  void record_failure(const std::string& key, const ThrottlePolicy& policy);
  void reset(const std::string& key);
  /// Counts one event against the quota: 0 when allowed (and counted), else the
  /// milliseconds until the window ends (nothing counted).
  int64_t take(const std::string& key, const Quota& quota);

  size_t size();

 private:
  struct Entry {
    int count = 0;
    int64_t window_start_ms = 0;  // quotas: when the current window began
    int64_t last_event_ms = 0;
    int64_t blocked_until_ms = 0;
    int64_t window_ms = 0;
  };
  /// The key's entry, making room first when the map is full; null when there is no
  /// room without dropping an active block.
  Entry* entry_for(const std::string& key, int64_t now);
  void make_room(int64_t now);

  const Clock& clock_;
  size_t max_keys_;
  int64_t full_of_blocks_until_ms_ = 0;  // skip hopeless sweeps while every entry is blocked
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace cloudretail::auth
