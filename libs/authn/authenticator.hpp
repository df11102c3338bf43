#pragma once
/// Applies the route guards: bearer access tokens for users and admins, the
/// X-Service-Token for internal calls, and the ownership rule for `?userId=`.
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/request.hpp"
#include "http/server.hpp"

namespace cloudretail::authn {

/// Verifies an access token (signature, exp, iss, token_use) into a principal.
/// Implementations: the local signing key (auth service in this process) or the
/// auth service's JWKS fetched over HTTP.
class TokenVerifier {
 public:
  virtual ~TokenVerifier() = default;
  virtual Result<http::Principal> verify_access_token(std::string_view token) const = 0;
};

class GuardAuthenticator final : public http::Authenticator {
 public:
  /// `verifier` may be null until the identity service is wired: bearer tokens are then refused.
  GuardAuthenticator(std::string service_token, std::shared_ptr<const TokenVerifier> verifier)
      : service_token_(std::move(service_token)), verifier_(std::move(verifier)) {}

  Result<http::Principal> authenticate(http::Guard guard, const http::Request& request) override;

  void set_verifier(std::shared_ptr<const TokenVerifier> verifier) { verifier_ = std::move(verifier); }

 private:
  std::string service_token_;
  std::shared_ptr<const TokenVerifier> verifier_;
};

/// The user whose data a user route touches: `?userId=` when given (must be the
/// caller's own unless the caller is an admin or a service), else the token's sub.
Result<std::string> resolve_user_id(const http::Request& request);

}  // namespace cloudretail::authn
