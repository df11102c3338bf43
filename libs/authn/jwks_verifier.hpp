#pragma once
/// Token verification for processes that do not run the auth service: the keys
/// come from `<auth_api_base>/.well-known/jwks.json`, fetched on first use and
/// again (at most every 30 s; every 1 s until a first success) when a token names
/// a kid not seen yet, so a key rotation is picked up without a restart.
#include <map>
#include <memory>
#include <string>

#include "authn/authenticator.hpp"
#include "authn/ec_keys.hpp"
#include "core/clock.hpp"

namespace cloudretail::authn {

/// The usable keys of a JWKS document by kid: EC P-256 keys (alg ES256 or none
/// given); anything else, and a document that is not JSON, gives no key.
std::map<std::string, EcPublicKey> parse_jwks(std::string_view document);

std::shared_ptr<const TokenVerifier> make_jwks_verifier(std::string auth_api_base, std::string issuer,
                                                        const Clock& clock);

}  // namespace cloudretail::authn
