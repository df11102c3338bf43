#pragma once
/// EC P-256 keys for ES256 tokens: generate, load from PEM, and describe the
/// public half as PEM (for libjwt), as a JWK (x, y) and by a stable `kid`.
/// OpenSSL 3 EVP APIs only.
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cloudretail::authn {

struct EcPublicKey {
  std::string pem;   // SubjectPublicKeyInfo PEM, what libjwt verifies with
  std::string kid;   // base64url(sha256(SubjectPublicKeyInfo DER)): stable for the key
  std::string x, y;  // JWK coordinates, base64url of 32 bytes each
};

/// A fresh P-256 private key as PKCS#8 PEM.
std::string generate_p256_private_pem();

/// The public half of a PKCS#8 (or SEC1) P-256 private key PEM; an error when the
/// PEM does not hold an EC P-256 private key.
Result<EcPublicKey> public_key_from_private_pem(std::string_view private_pem);

/// A P-256 public key from a JWK's base64url `x` and `y` (e.g. fetched from JWKS);
/// `kid` is recomputed from the key itself.
Result<EcPublicKey> public_key_from_jwk(std::string_view x_b64url, std::string_view y_b64url);

}  // namespace cloudretail::authn
