#include "auth/password_hasher.hpp"

#include <sodium.h>

#include <algorithm>

#include "core/crypto.hpp"

namespace cloudretail::auth {

namespace {

// Argon2id with t=3, m=19 MiB, p=1. libsodium's *_INTERACTIVE preset uses 64 MiB
// per hash, which alone would break the server's 64 MB RSS budget; 19 MiB is
// OWASP's Argon2id minimum (m=19456 KiB, t=2, p=1) and t=3 buys back some of the
// cost the smaller memory gives up. libsodium mmaps the 19 MiB per call and
// unmaps it afterwards, so RSS falls back once hashing is done.
constexpr unsigned long long kOpsLimit = 3;
constexpr size_t kMemLimit = 19 * 1024 * 1024;

}  // namespace

/// Admits a call (or throws HasherBusy), then holds one hashing slot.
class PasswordHasher::Admission {
 public:
  Admission(PasswordHasher& h, bool wait) : h_(h) {
    if (h_.in_progress_.fetch_add(1) >= h_.admit_limit_ && !wait) {
      h_.in_progress_.fetch_sub(1);
      throw HasherBusy();
    }
    h_.slots_.acquire();
  }
  ~Admission() {
    h_.slots_.release();
    h_.in_progress_.fetch_sub(1);
  }

 private:
  PasswordHasher& h_;
};

PasswordHasher::PasswordHasher(int max_concurrent, int max_queued)
    : slots_(std::clamp(max_concurrent, 1, 64)), admit_limit_(std::clamp(max_concurrent, 1, 64) + std::max(0, max_queued)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string PasswordHasher::hash(std::string_view password, bool wait) {
  char out[crypto_pwhash_STRBYTES];
  Admission admitted(*this, wait);
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view stored_hash, std::string_view password, bool wait) {
  std::string h(stored_hash);  // NUL-terminated copy
  Admission admitted(*this, wait);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::verify_dummy(std::string_view password, bool wait) {
  std::call_once(dummy_once_, [this] { dummy_hash_ = hash(crypto::random_token(24), /*wait=*/true); });
  (void)verify(dummy_hash_, password, wait);
}

}  // namespace cloudretail::auth
