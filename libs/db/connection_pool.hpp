#pragma once
/// The one connection pool both backends use: at most `capacity` connections, opened
/// lazily, handed out most-recently-used first, waiters woken when a slot frees up.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "db/database.hpp"

namespace cloudretail::db {

class ConnectionPool {
 public:
  struct Hooks {
    /// Opens a new connection; may throw DbError (the slot is given back).
    std::function<std::unique_ptr<Connection>()> open;
    /// Asked of an idle connection before it is handed out. False: the server closed
    /// it, so it is dropped together with every other idle one (most likely gone too).
    std::function<bool(Connection&)> alive = [](Connection&) { return true; };
    /// Asked when a connection comes back (rolls back what a dropped lease left open).
    /// False: the connection is broken and dropped.
    std::function<bool(Connection&)> reset = [](Connection& c) {
      c.rollback();
      return true;
    };
  };

  ConnectionPool(int capacity, Hooks hooks);

  /// Blocks while every connection is in use. Throws what `open` throws.
  std::unique_ptr<Connection> take();
  void give_back(std::unique_ptr<Connection> conn) noexcept;

  /// Takes that found every connection busy, and how long they waited in total.
  uint64_t waits() const;
  uint64_t wait_us() const;
  int capacity() const { return capacity_; }

 private:
  void drop_idle_locked();

  const int capacity_;
  Hooks hooks_;
  mutable std::mutex mutex_;
  std::condition_variable available_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_count_ = 0;
  uint64_t waits_ = 0;
  uint64_t wait_us_ = 0;
};

}  // namespace cloudretail::db
