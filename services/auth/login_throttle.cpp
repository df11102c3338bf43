#include "auth/login_throttle.hpp"

#include <algorithm>

namespace cloudretail::auth {

int64_t LoginThrottle::blocked_for_ms(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  return std::max<int64_t>(0, it->second.blocked_until_ms - clock_.now_ms());
}

void LoginThrottle::record_failure(const std::string& key, const ThrottlePolicy& policy) {
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_keys_ && !entries_.count(key)) prune(now);
  Entry& e = entries_[key];
  if (e.failures > 0 && now - e.last_failure_ms > policy.window_ms) e = Entry{};
  e.failures++;
  e.last_failure_ms = now;
  e.window_ms = policy.window_ms;
  if (e.failures > policy.free_failures) {
    int over = std::min(e.failures - policy.free_failures - 1, 30);
    int64_t block = std::min(policy.max_block_ms, policy.base_block_ms << std::min(over, 20));
    e.blocked_until_ms = std::max(e.blocked_until_ms, now + block);
  }
}

void LoginThrottle::reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

void LoginThrottle::prune(int64_t now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    if (now - e.last_failure_ms > e.window_ms && now >= e.blocked_until_ms) it = entries_.erase(it);
    else ++it;
  }
  // Still full (a flood of distinct keys): forget everything rather than grow without bound.
  if (entries_.size() >= max_keys_) entries_.clear();
}

}  // namespace cloudretail::auth
