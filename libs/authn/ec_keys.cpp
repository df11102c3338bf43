#include "authn/ec_keys.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <memory>
#include <stdexcept>

#include "core/crypto.hpp"

namespace cloudretail::authn {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

Error key_error(std::string message) { return make_error(ErrorCode::kInternal, std::move(message), "KeyError"); }

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

bool is_p256(EVP_PKEY* key) {
  if (!EVP_PKEY_is_a(key, "EC")) return false;
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) != 1) return false;
  std::string_view name(group, len);
  return name == "prime256v1" || name == "P-256" || name == "secp256r1";
}

std::string coordinate(EVP_PKEY* key, const char* param) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, param, &raw) != 1) return {};
  BnPtr bn(raw);
  std::string out(32, '\0');
  // Fixed width: JWK coordinates are the full 32 bytes, leading zeros kept.
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), 32) != 32) return {};
  return out;
}

Result<EcPublicKey> describe(EVP_PKEY* key) {
  if (!is_p256(key)) return key_error("not an EC P-256 key");
  EcPublicKey out;
  unsigned char* der = nullptr;
  int der_len = i2d_PUBKEY(key, &der);
  if (der_len <= 0) return key_error("cannot encode the public key");
  std::string der_str(reinterpret_cast<char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);
  out.kid = crypto::base64url_encode(crypto::sha256(der_str));

  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) return key_error("cannot write the public key");
  out.pem = bio_string(bio.get());

  std::string x = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X), y = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y);
  if (x.size() != 32 || y.size() != 32) return key_error("cannot read the public key coordinates");
  out.x = crypto::base64url_encode(x);
  out.y = crypto::base64url_encode(y);
  return out;
}

}  // namespace

std::string generate_p256_private_pem() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) throw std::runtime_error("EC P-256 key generation failed");
  BioPtr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY").
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw std::runtime_error("cannot write the EC private key");
  return bio_string(bio.get());
}

Result<EcPublicKey> public_key_from_private_pem(std::string_view private_pem) {
  BioPtr bio(BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())));
  if (!bio) return key_error("out of memory");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return key_error("not a PEM private key");
  return describe(key.get());
}

Result<EcPublicKey> public_key_from_jwk(std::string_view x_b64url, std::string_view y_b64url) {
  std::string x, y;
  if (!crypto::base64url_decode(x_b64url, x) || !crypto::base64url_decode(y_b64url, y) || x.size() != 32 ||
      y.size() != 32)
    return key_error("bad JWK coordinates");
  std::string point(1, '\x04');  // uncompressed SEC1 point: 04 || x || y
  point += x;
  point += y;

  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (!bld) return key_error("out of memory");
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  OSSL_PARAM_BLD_free(bld);
  if (!params) return key_error("out of memory");

  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* raw = nullptr;
  bool ok = ctx && EVP_PKEY_fromdata_init(ctx) == 1 && EVP_PKEY_fromdata(ctx, &raw, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  PkeyPtr key(raw);
  if (!ok || !key) return key_error("JWK is not a point on P-256");
  // fromdata does not validate the point; refuse points off the curve.
  EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr);
  bool valid = check && EVP_PKEY_public_check(check) == 1;
  EVP_PKEY_CTX_free(check);
  if (!valid) return key_error("JWK is not a point on P-256");
  return describe(key.get());
}

}  // namespace cloudretail::authn
