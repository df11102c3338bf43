#pragma once
#include "auth/auth_service.hpp"
#include "auth/token_signer.hpp"
#include "http/router.hpp"

namespace cloudretail::auth {

/// POST /auth/register|resend-code|confirm|login|refresh|logout and
/// GET /.well-known/jwks.json (all public).
void register_routes(http::Router& router, AuthService& service, const TokenSigner& signer);

}  // namespace cloudretail::auth
