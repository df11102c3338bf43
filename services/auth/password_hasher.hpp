#pragma once
/// Argon2id password hashing (libsodium), with a cap on concurrent hashes so
/// memory stays bounded however many logins arrive at once.
#include <mutex>
#include <semaphore>
#include <string>
#include <string_view>

namespace cloudretail::auth {

class PasswordHasher {
 public:
  /// Throws when libsodium cannot initialise (a start-up failure).
  explicit PasswordHasher(int max_concurrent = 2);

  std::string hash(std::string_view password);
  bool verify(std::string_view stored_hash, std::string_view password);
  /// Spends the time of one verification against a dummy hash, so an unknown
  /// account answers as slowly as a wrong password.
  void verify_dummy(std::string_view password);

 private:
  std::counting_semaphore<64> slots_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace cloudretail::auth
