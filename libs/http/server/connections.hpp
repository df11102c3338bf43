#pragma once
/// Internal to the HTTP server: the open connections, for MAX_CONNECTIONS and for a
/// graceful shutdown (tell each to close when idle, then wait for the last to go).
/// Thread-safe: sessions come and go on every I/O thread.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace cloudretail::http {

class Session;

class Connections {
 public:
  int live() const { return live_.load(); }
  /// True once shutdown began: sessions finish their request and read no other.
  bool closing() const { return closing_.load(); }

  void add(const std::shared_ptr<Session>& session);
  /// From the session's destructor.
  void remove(const Session* session);

  /// Marks the server closing; returns the sessions open now.
  std::vector<std::shared_ptr<Session>> begin_closing();
  /// Blocks until every session is gone, or `timeout` passed (false then).
  bool wait_until_empty(std::chrono::steady_clock::duration timeout);

 private:
  std::atomic<int> live_{0};
  std::atomic<bool> closing_{false};
  std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
};

}  // namespace cloudretail::http
