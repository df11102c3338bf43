#pragma once
/// Verifies ES256 access tokens issued by the auth service: the algorithm is
/// pinned to ES256 before libjwt sees the token (libjwt 1.10 would otherwise
/// accept `alg: none`, or HS256 keyed with the public key PEM), then the
/// signature, `exp`, `iss` and `token_use == "access"` are checked. A small
/// bounded cache spares the ECDSA verification for tokens seen recently; `exp`
/// is still checked on every hit.
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "authn/authenticator.hpp"
#include "authn/ec_keys.hpp"
#include "core/clock.hpp"

namespace cloudretail::authn {

/// Finds the verification key for a token's `kid` (empty when the header has none).
using KeyLookup = std::function<std::optional<EcPublicKey>(std::string_view kid)>;

class JwtVerifier final : public TokenVerifier {
 public:
  JwtVerifier(KeyLookup keys, std::string issuer, const Clock& clock, size_t cache_capacity = 4096);
  /// Verifies with one fixed key (the auth service in this process).
  static std::shared_ptr<JwtVerifier> with_key(EcPublicKey key, std::string issuer, const Clock& clock);

  Result<http::Principal> verify_access_token(std::string_view token) const override;

 private:
  Result<http::Principal> verify_uncached(std::string_view token, int64_t& exp) const;

  KeyLookup keys_;
  std::string issuer_;
  const Clock& clock_;
  size_t cache_capacity_;
  struct Cached {
    http::Principal principal;
    int64_t exp = 0;
  };
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, Cached> cache_;  // sha256(token) -> principal
};

/// Splits a compact JWS and decodes its header and payload (no verification).
/// Exposed for tests and for the auth service's own use.
struct JwtParts {
  std::string header_json, payload_json;
};
std::optional<JwtParts> split_jwt(std::string_view token);

}  // namespace cloudretail::authn
