// Bearer tokens and JWKS documents. The first byte picks what the rest becomes:
//  0 the whole token; 1 its header, 2 its payload, 3 its signature, spliced into a
//  valid token; 4 a JWKS document. Property: a token is accepted only when it is
//  the valid one, byte for byte (nothing forged or spliced passes).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "auth/token_signer.hpp"
#include "authn/ec_keys.hpp"
#include "authn/jwks_verifier.hpp"
#include "authn/jwt_verifier.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"

using namespace cloudretail;

namespace {

struct Keys {
  SystemClock clock;
  std::string private_pem = authn::generate_p256_private_pem();
  auth::TokenSigner signer{private_pem, "cloudretail", "cloudretail-web"};
  std::shared_ptr<authn::JwtVerifier> verifier =
      authn::JwtVerifier::with_key(signer.public_key(), "cloudretail", clock);
  std::string valid;
  Keys() {
    auth::User user;
    user.id = "7f1b2c3d-0000-4000-8000-000000000001";
    user.email = "fuzz@example.com";
    user.confirmed = true;
    user.groups = {"admin"};
    valid = signer.access_token(user, clock.now_ms() / 1000);
    if (!verifier->verify_access_token(valid)) std::abort();  // the harness itself is sound
  }
};

std::string replace_segment(const std::string& token, int index, const std::string& segment) {
  size_t d1 = token.find('.'), d2 = token.find('.', d1 + 1);
  std::string parts[3] = {token.substr(0, d1), token.substr(d1 + 1, d2 - d1 - 1), token.substr(d2 + 1)};
  parts[index] = segment;
  return parts[0] + "." + parts[1] + "." + parts[2];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Keys keys;
  if (size == 0) return 0;
  std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  int mode = data[0] % 5;
  if (mode == 4) {
    (void)authn::parse_jwks(rest);
    return 0;
  }
  std::string token = mode == 0 ? rest : replace_segment(keys.valid, mode - 1, crypto::base64url_encode(rest));
  (void)authn::split_jwt(token);
  auto principal = keys.verifier->verify_access_token(token);
  if (principal && token != keys.valid) {
    std::fprintf(stderr, "accepted a token that is not the signed one: %s\n", token.c_str());
    std::abort();
  }
  return 0;
}
