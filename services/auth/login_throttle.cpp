#include "auth/login_throttle.hpp"

#include <algorithm>
#include <vector>

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
  Entry* e = entry_for(key, now);
  if (!e) return;
  if (e->count > 0 && now - e->last_event_ms > policy.window_ms) *e = Entry{};
  e->count++;
  e->last_event_ms = now;
  e->window_ms = policy.window_ms;
  if (e->count > policy.free_failures) {
    int over = std::min(e->count - policy.free_failures - 1, 30);
    int64_t block = std::min(policy.max_block_ms, policy.base_block_ms << std::min(over, 20));
    e->blocked_until_ms = std::max(e->blocked_until_ms, now + block);
  }
}

int64_t LoginThrottle::take(const std::string& key, const Quota& quota) {
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  Entry* e = entry_for(key, now);
  if (!e) return 0;  // not tracked (full of active blocks): the caller's other keys still limit it
  if (e->count == 0 || now - e->window_start_ms >= quota.window_ms) {
    *e = Entry{};
    e->window_start_ms = now;
  }
  e->last_event_ms = now;
  e->window_ms = quota.window_ms;
  if (e->count >= quota.limit) {
    e->blocked_until_ms = e->window_start_ms + quota.window_ms;
    return e->blocked_until_ms - now;
  }
  e->count++;
  return 0;
}

void LoginThrottle::reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

size_t LoginThrottle::size() {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

LoginThrottle::Entry* LoginThrottle::entry_for(const std::string& key, int64_t now) {
  if (auto it = entries_.find(key); it != entries_.end()) return &it->second;
  if (entries_.size() >= max_keys_) {
    if (now < full_of_blocks_until_ms_) return nullptr;
    make_room(now);
    if (entries_.size() >= max_keys_) return nullptr;
  }
  return &entries_[key];
}

void LoginThrottle::make_room(int64_t now) {
  // Free a tenth at once so the sweep (linear in the map) is paid once per many inserts.
  const size_t target = max_keys_ - std::max<size_t>(1, max_keys_ / 10);
  std::vector<std::pair<int64_t, const std::string*>> evictable;  // (last event, key) of unblocked entries
  int64_t earliest_unblock = INT64_MAX;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    if (now >= e.blocked_until_ms && now - e.last_event_ms > e.window_ms) {
      it = entries_.erase(it);  // idle: its history no longer matters
      continue;
    }
    if (now >= e.blocked_until_ms)
      evictable.emplace_back(e.last_event_ms, &it->first);
    else
      earliest_unblock = std::min(earliest_unblock, e.blocked_until_ms);
    ++it;
  }
  if (entries_.size() > target && !evictable.empty()) {
    // Counting but not blocked: forget the least recently active first.
    size_t drop = std::min(evictable.size(), entries_.size() - target);
    std::nth_element(evictable.begin(), evictable.begin() + (drop - 1), evictable.end());
    std::vector<std::string> keys;
    keys.reserve(drop);
    for (size_t i = 0; i < drop; ++i) keys.push_back(*evictable[i].second);
    for (const auto& k : keys) entries_.erase(k);
  }
  // Every entry left is an active block: nothing can go until the first one ends.
  full_of_blocks_until_ms_ = entries_.size() >= max_keys_ ? earliest_unblock : 0;
}

}  // namespace cloudretail::auth
