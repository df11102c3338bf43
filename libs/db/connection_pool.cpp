#include "db/connection_pool.hpp"

namespace cloudretail::db {

ConnectionPool::ConnectionPool(int capacity, Hooks hooks)
    : capacity_(capacity < 1 ? 1 : capacity), hooks_(std::move(hooks)) {}

std::unique_ptr<Connection> ConnectionPool::take() {
  std::unique_lock lock(mutex_);
  for (;;) {
    auto ready = [&] { return !idle_.empty() || open_count_ < capacity_; };
    if (!ready()) {
      const auto start = std::chrono::steady_clock::now();
      ++waits_;
      available_cv_.wait(lock, ready);
      wait_us_ += static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
    }
    if (idle_.empty()) break;
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    if (hooks_.alive(*conn)) return conn;
    conn.reset();
    --open_count_;
    drop_idle_locked();
  }
  ++open_count_;
  lock.unlock();
  try {
    return hooks_.open();
  } catch (...) {
    lock.lock();
    --open_count_;
    lock.unlock();
    available_cv_.notify_one();
    throw;
  }
}

void ConnectionPool::give_back(std::unique_ptr<Connection> conn) noexcept {
  bool keep = false;
  try {
    keep = hooks_.reset(*conn);
  } catch (...) {
  }
  bool dropped_many = false;
  {
    std::lock_guard lock(mutex_);
    if (keep) {
      idle_.push_back(std::move(conn));
    } else {
      conn.reset();
      --open_count_;
      dropped_many = !idle_.empty();
      drop_idle_locked();
    }
  }
  // Dropping idle connections frees several slots at once: wake every waiter.
  if (dropped_many)
    available_cv_.notify_all();
  else
    available_cv_.notify_one();
}

void ConnectionPool::drop_idle_locked() {
  open_count_ -= static_cast<int>(idle_.size());
  idle_.clear();
  available_cv_.notify_all();
}

uint64_t ConnectionPool::waits() const {
  std::lock_guard lock(mutex_);
  return waits_;
}

uint64_t ConnectionPool::wait_us() const {
  std::lock_guard lock(mutex_);
  return wait_us_;
}

}  // namespace cloudretail::db
