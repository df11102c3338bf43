#pragma once
/// Issues ES256 access and ID tokens with the service's EC P-256 key and
/// publishes its public half as a JWKS document.
#include <cstdint>
#include <string>

#include "auth/auth_types.hpp"
#include "authn/ec_keys.hpp"
#include "core/result.hpp"

namespace cloudretail::auth {

inline constexpr int64_t kAccessTokenSeconds = 3600;

/// The signing key PEM: from `key_file` when set (must be an EC P-256 PKCS#8
/// PEM), else `<data_dir>/jwt-signing-key.pem`, created with mode 0600 on first
/// start. Throws std::runtime_error with one clear line when unusable.
std::string load_or_create_signing_key(const std::string& key_file, const std::string& data_dir);

class TokenSigner {
 public:
  /// Throws std::runtime_error when the PEM is not an EC P-256 private key.
  TokenSigner(std::string private_pem, std::string issuer, std::string audience);

  /// `jti`: empty for a random one (a refresh passes one derived from its token, so a
  /// retried refresh re-issues the same claims).
  std::string access_token(const User& user, int64_t now_s, const std::string& jti = "") const;
  std::string id_token(const User& user, int64_t now_s) const;
  /// A secret for `label` derived from the signing key: the same in every replica
  /// that shares the key, never revealing it.
  std::string derive_secret(std::string_view label) const;

  const authn::EcPublicKey& public_key() const { return public_key_; }
  const std::string& issuer() const { return issuer_; }
  /// {"keys":[{"kty":"EC","crv":"P-256","x","y","kid","alg":"ES256","use":"sig"}]}
  const std::string& jwks_json() const { return jwks_json_; }

 private:
  std::string sign(const std::string& claims_json) const;

  std::string private_pem_;
  authn::EcPublicKey public_key_;
  std::string issuer_, audience_;
  std::string jwks_json_;
};

}  // namespace cloudretail::auth
