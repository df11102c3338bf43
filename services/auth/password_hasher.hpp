#pragma once
/// Argon2id password hashing (libsodium), with a cap on concurrent hashes so
/// memory stays bounded however many logins arrive at once, and a cap on calls
/// queued behind them so a login flood cannot hold every worker thread.
#include <atomic>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cloudretail::auth {

/// Thrown when `max_concurrent + max_queued` hashing calls are already in progress.
struct HasherBusy : std::runtime_error {
  HasherBusy() : std::runtime_error("password hashing is saturated") {}
};

class PasswordHasher {
 public:
  /// Throws when libsodium cannot initialise (a start-up failure).
  explicit PasswordHasher(int max_concurrent = 1, int max_queued = 3);

  /// `wait`: queue however long it takes (start-up and CLI) instead of throwing HasherBusy.
  std::string hash(std::string_view password, bool wait = false);
  bool verify(std::string_view stored_hash, std::string_view password, bool wait = false);
  /// Spends the time of one verification against a dummy hash, so an unknown
  /// account answers as slowly as a wrong password.
  void verify_dummy(std::string_view password, bool wait = false);

 private:
  class Admission;

  std::counting_semaphore<64> slots_;
  std::atomic<int> in_progress_{0};
  int admit_limit_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace cloudretail::auth
