#pragma once
/// Argon2id password hashing (libsodium) behind a small fair scheduler.
///
/// One hash runs at a time (memory: 19 MiB each). Callers wait in a queue that is
/// bounded in total (so waiting callers never hold every worker thread) and per
/// client address, and are served:
/// - logins first: a sign-up (or reset) waits while any login waits, so a sign-up
///   flood delays a login by at most the one hash already running;
/// - round-robin across addresses within each lane: a flood of bad logins from one
///   address gets every other turn at most, never the whole queue.
/// A caller that would exceed its lane's or its address's share is refused at once
/// (HasherBusy → 429 with Retry-After), so a flood costs its sender, not others.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cloudretail::auth {

/// Thrown when the caller's lane or address already has its share of the queue.
struct HasherBusy : std::runtime_error {
  HasherBusy() : std::runtime_error("password hashing is saturated") {}
};

/// Who asks for a hash: the lane decides priority, the address the share.
struct HashTicket {
  enum class Lane { kLogin, kSignUp } lane = Lane::kLogin;
  std::string address;
  /// Start-up and CLI: queue however long it takes instead of throwing HasherBusy.
  bool wait = false;
};

struct HasherLimits {
  int max_waiting = 6;              // all lanes; keep below the worker pool (8)
  int max_signups_waiting = 3;      // sign-ups never take the whole queue
  int max_waiting_per_address = 2;  // logins from one address
  int max_signups_per_address = 1;  // sign-ups from one address
};

class PasswordHasher {
 public:
  /// Throws when libsodium cannot initialise (a start-up failure).
  explicit PasswordHasher(HasherLimits limits = {});

  std::string hash(std::string_view password, const HashTicket& ticket);
  bool verify(std::string_view stored_hash, std::string_view password, const HashTicket& ticket);
  /// Spends the time of one verification against a dummy hash, so an unknown
  /// account answers as slowly as a wrong password.
  void verify_dummy(std::string_view password, const HashTicket& ticket);
  /// Callers queued behind the hash in progress, all lanes (for tests and metrics).
  int waiting();

 private:
  class Turn;
  struct Lane {
    std::map<std::string, std::deque<uint64_t>> by_address;  // waiting tickets per address, FIFO
    std::string last_served;                                 // round-robin cursor
    int waiting = 0;
  };
  Lane& lane(HashTicket::Lane l) { return l == HashTicket::Lane::kLogin ? login_ : signup_; }
  /// The ticket id that runs next (login lane first); 0 when none waits.
  uint64_t next_ticket() const;

  HasherLimits limits_;
  std::mutex mutex_;
  std::condition_variable turn_changed_;
  bool running_ = false;
  uint64_t next_id_ = 1;
  Lane login_, signup_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace cloudretail::auth
