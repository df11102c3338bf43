#pragma once
/// Where Idempotency-Keys are remembered. Keys are scoped (to the caller): the same
/// key from two users is two keys. The first claim of a key wins it atomically;
/// later claims learn whether to replay, refuse or wait. Implementations:
/// SqlKeyStore (a table of the service's database) and fakes in tests.
#include <string>

namespace cloudretail::idempotency {

enum class ClaimKind {
  kClaimed,     // ours now: run the request, then complete() or abandon()
  kReplay,      // done before with the same request: answer what it answered
  kMismatch,    // done or running with a different request
  kInProgress,  // the same request is still running (or the row just vanished)
};

struct Claim {
  ClaimKind kind = ClaimKind::kClaimed;
  int status = 0;  // kReplay: the stored response
  std::string body;
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  /// `request_hash` tells a repeat of the same request from another one.
  virtual Claim claim(const std::string& scope, const std::string& key, const std::string& request_hash) = 0;
  /// Remembers the response of a claimed key for replay.
  virtual void complete(const std::string& scope, const std::string& key, int status, const std::string& body) = 0;
  /// Forgets a claimed key whose request failed, so that a retry runs again.
  virtual void abandon(const std::string& scope, const std::string& key) = 0;
};

}  // namespace cloudretail::idempotency
