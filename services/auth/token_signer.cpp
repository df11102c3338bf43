#include "auth/token_signer.hpp"

#include <fcntl.h>
#include <jwt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "core/crypto.hpp"
#include "core/json_writer.hpp"

namespace cloudretail::auth {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read signing key file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void check_key(const std::string& pem, const std::string& where) {
  auto pub = authn::public_key_from_private_pem(pem);
  if (!pub) throw std::runtime_error(where + " is not an EC P-256 private key (PEM, PKCS#8)");
}

}  // namespace

std::string load_or_create_signing_key(const std::string& key_file, const std::string& data_dir) {
  if (!key_file.empty()) {
    std::string pem = read_all(key_file);
    check_key(pem, "JWT_PRIVATE_KEY_FILE");
    return pem;
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  std::string path = (std::filesystem::path(data_dir) / "jwt-signing-key.pem").string();
  if (std::filesystem::exists(path, ec)) {
    std::string pem = read_all(path);
    check_key(pem, path);
    return pem;
  }
  std::string pem = authn::generate_p256_private_pem();
  // Written to a private temporary file, then linked into place: a concurrent
  // starter either wins the link or reads the winner's key, never a half file.
  std::string tmp = path + ".tmp-" + crypto::random_token(8);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create signing key in " + data_dir + ": " + std::strerror(errno));
  bool written = ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot write signing key in " + data_dir);
  }
  int rc = ::link(tmp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(tmp.c_str());
  if (rc != 0) {
    if (link_errno != EEXIST) throw std::runtime_error("cannot store signing key in " + data_dir);
    pem = read_all(path);
    check_key(pem, path);
  }
  return pem;
}

TokenSigner::TokenSigner(std::string private_pem, std::string issuer, std::string audience)
    : private_pem_(std::move(private_pem)), issuer_(std::move(issuer)), audience_(std::move(audience)) {
  auto pub = authn::public_key_from_private_pem(private_pem_);
  if (!pub) throw std::runtime_error("signing key is not an EC P-256 private key");
  public_key_ = std::move(pub.value());
  JsonWriter w;
  w.begin_object()
      .key("keys")
      .begin_array()
      .begin_object()
      .field("kty", "EC")
      .field("crv", "P-256")
      .field("x", public_key_.x)
      .field("y", public_key_.y)
      .field("kid", public_key_.kid)
      .field("alg", "ES256")
      .field("use", "sig")
      .end_object()
      .end_array()
      .end_object();
  jwks_json_ = w.take();
}

std::string TokenSigner::sign(const std::string& claims_json) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new failed");
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
  if (jwt_add_grants_json(jwt.get(), claims_json.c_str()) != 0 ||
      jwt_add_header(jwt.get(), "kid", public_key_.kid.c_str()) != 0 ||
      jwt_set_alg(jwt.get(), JWT_ALG_ES256, reinterpret_cast<const unsigned char*>(private_pem_.data()),
                  static_cast<int>(private_pem_.size())) != 0)
    throw std::runtime_error("cannot build token");
  char* out = jwt_encode_str(jwt.get());
  if (!out) throw std::runtime_error("cannot sign token");
  std::string token(out);
  std::free(out);
  return token;
}

std::string TokenSigner::derive_secret(std::string_view label) const {
  return crypto::hmac_sha256(private_pem_, label);
}

std::string TokenSigner::access_token(const User& user, int64_t now_s, const std::string& jti) const {
  JsonWriter w;
  w.begin_object()
      .field("sub", user.id)
      .field("email", user.email)  // lets checkout and payments mail the account's own address
      .field("iss", issuer_)
      .field("iat", now_s)
      .field("exp", now_s + kAccessTokenSeconds)
      .field("jti", jti.empty() ? crypto::uuid4() : jti)
      .field("token_use", "access")
      .key("groups")
      .begin_array();
  for (const auto& g : user.groups) w.string(g);
  w.end_array().end_object();
  return sign(w.str());
}

std::string TokenSigner::id_token(const User& user, int64_t now_s) const {
  JsonWriter w;
  w.begin_object()
      .field("sub", user.id)
      .field("email", user.email)
      .field("email_verified", user.confirmed)
      .field("token_use", "id")
      .field("aud", audience_)
      .field("iss", issuer_)
      .field("iat", now_s)
      .field("exp", now_s + kAccessTokenSeconds)
      .end_object();
  return sign(w.str());
}

}  // namespace cloudretail::auth
