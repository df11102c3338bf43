#include "auth/password_hasher.hpp"

#include <sodium.h>

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

/// The address after `last` in the map's order, wrapping around (round-robin).
template <class Map>
typename Map::const_iterator after(const Map& m, const std::string& last) {
  auto it = m.upper_bound(last);
  return it == m.end() ? m.begin() : it;
}

}  // namespace

/// Waits in the caller's lane until it is this ticket's turn, then holds the hashing slot.
class PasswordHasher::Turn {
 public:
  Turn(PasswordHasher& h, const HashTicket& t) : h_(h), lane_(h.lane(t.lane)), address_(t.address) {
    std::unique_lock lock(h_.mutex_);
    const bool signup = t.lane == HashTicket::Lane::kSignUp;
    auto found = lane_.by_address.find(address_);
    const int from_address = found == lane_.by_address.end() ? 0 : static_cast<int>(found->second.size());
    const int total = h_.login_.waiting + h_.signup_.waiting;
    if (!t.wait && (total >= h_.limits_.max_waiting ||
                    (signup && (lane_.waiting >= h_.limits_.max_signups_waiting ||
                                from_address >= h_.limits_.max_signups_per_address)) ||
                    (!signup && from_address >= h_.limits_.max_waiting_per_address)))
      throw HasherBusy();
    id_ = h_.next_id_++;
    lane_.by_address[address_].push_back(id_);
    lane_.waiting++;
    h_.turn_changed_.wait(lock, [&] { return !h_.running_ && h_.next_ticket() == id_; });
    // Ours: leave the queue and take the slot.
    auto& q = lane_.by_address[address_];
    q.pop_front();
    if (q.empty()) lane_.by_address.erase(address_);
    lane_.waiting--;
    lane_.last_served = address_;
    h_.running_ = true;
  }
  ~Turn() {
    {
      std::lock_guard lock(h_.mutex_);
      h_.running_ = false;
    }
    h_.turn_changed_.notify_all();
  }

 private:
  PasswordHasher& h_;
  Lane& lane_;
  std::string address_;
  uint64_t id_ = 0;
};

uint64_t PasswordHasher::next_ticket() const {
  for (const Lane* l : {&login_, &signup_}) {
    if (l->by_address.empty()) continue;
    return after(l->by_address, l->last_served)->second.front();
  }
  return 0;
}

int PasswordHasher::waiting() {
  std::lock_guard lock(mutex_);
  return login_.waiting + signup_.waiting;
}

PasswordHasher::PasswordHasher(HasherLimits limits) : limits_(limits) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string PasswordHasher::hash(std::string_view password, const HashTicket& ticket) {
  char out[crypto_pwhash_STRBYTES];
  Turn turn(*this, ticket);
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view stored_hash, std::string_view password, const HashTicket& ticket) {
  std::string h(stored_hash);  // NUL-terminated copy
  Turn turn(*this, ticket);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::verify_dummy(std::string_view password, const HashTicket& ticket) {
  std::call_once(dummy_once_, [this] {
    dummy_hash_ = hash(crypto::random_token(24), HashTicket{HashTicket::Lane::kLogin, "", /*wait=*/true});
  });
  (void)verify(dummy_hash_, password, ticket);
}

}  // namespace cloudretail::auth
