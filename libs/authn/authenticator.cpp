#include "authn/authenticator.hpp"

#include <strings.h>

#include "core/crypto.hpp"

namespace cloudretail::authn {

Result<http::Principal> GuardAuthenticator::authenticate(http::Guard guard, const http::Request& request) {
  if (guard == http::Guard::kPublic) return http::Principal{};

  if (guard == http::Guard::kInternal && !service_token_.empty()) {
    auto presented = request.header("X-Service-Token");
    if (!presented.empty()) {
      if (!crypto::constant_time_equal(presented, service_token_))
        return unauthorized("Invalid service token", "NotAuthorizedException");
      http::Principal p;
      p.is_service = true;
      return p;
    }
  }

  auto header = request.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || strncasecmp(header.data(), kBearer.data(), kBearer.size()) != 0)
    return unauthorized("Missing or invalid Authorization header", "NotAuthorizedException");
  // The service token as a bearer too, on internal routes only: Prometheus can send an
  // Authorization header from a file but no custom header (scraping GET /metrics).
  if (guard == http::Guard::kInternal && !service_token_.empty() &&
      crypto::constant_time_equal(header.substr(kBearer.size()), service_token_)) {
    http::Principal p;
    p.is_service = true;
    return p;
  }
  if (!verifier_) return unauthorized("Invalid or expired token", "NotAuthorizedException");
  auto principal = verifier_->verify_access_token(header.substr(kBearer.size()));
  if (!principal) return principal;
  if ((guard == http::Guard::kAdmin || guard == http::Guard::kInternal) && !principal->is_admin)
    return forbidden("Admin access required", "AccessDeniedException");
  return principal;
}

Result<std::string> resolve_user_id(const http::Request& request) {
  const auto& p = request.principal;
  auto asked = request.query_param("userId");
  if (!asked || asked->empty()) {
    if (p.user_id.empty()) return bad_request("userId is required");
    return p.user_id;
  }
  if (*asked != p.user_id && !p.is_admin && !p.is_service)
    return forbidden("You may only access your own data", "AccessDeniedException");
  return *asked;
}

}  // namespace cloudretail::authn
