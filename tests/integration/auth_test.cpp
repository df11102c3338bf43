// Identity over real HTTP: registration with emailed codes, login, ES256 tokens
// checked against the JWKS by an independent OpenSSL implementation, forged
// tokens, refresh rotation and reuse detection, logout, throttling, bootstrap.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "auth_helpers.hpp"
#include "pg_cluster.hpp"
#include "sqlite_file.hpp"
#include "test_server.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using Method = http::Method;
namespace json = boost::json;

namespace {

// ---- a tiny independent JOSE implementation on raw OpenSSL -------------------

std::string b64url(const std::string& in) {
  std::string out((in.size() + 2) / 3 * 4 + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::string unb64url(std::string in) {
  for (char& c : in) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (in.size() % 4) in.push_back('=');
  std::string out(in.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return {};
  size_t pad = in.size() >= 2 ? (in[in.size() - 1] == '=') + (in[in.size() - 2] == '=') : 0;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

/// An EC public key from a JWK's x and y.
EVP_PKEY* key_from_jwk(const std::string& x, const std::string& y) {
  std::string point = std::string(1, '\x04') + unb64url(x) + unb64url(y);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

/// Verifies a compact ES256 JWS: JOSE r||s converted to DER for OpenSSL.
bool verify_es256(const std::string& token, EVP_PKEY* key) {
  auto d2 = token.rfind('.');
  std::string signing_input = token.substr(0, d2);
  std::string sig = unb64url(token.substr(d2 + 1));
  if (sig.size() != 64) return false;
  ECDSA_SIG* es = ECDSA_SIG_new();
  ECDSA_SIG_set0(es, BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()), 32, nullptr),
                 BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(es, &der);
  ECDSA_SIG_free(es);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(md, der, static_cast<size_t>(der_len),
                             reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
  EVP_MD_CTX_free(md);
  OPENSSL_free(der);
  return ok;
}

/// Signs header.payload with ES256 (DER converted to JOSE r||s).
std::string sign_es256(const std::string& header, const std::string& payload, EVP_PKEY* key) {
  std::string input = b64url(header) + "." + b64url(payload);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  size_t len = 0;
  EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key);
  EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string der(len, '\0');
  EVP_DigestSign(md, reinterpret_cast<unsigned char*>(der.data()), &len,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  EVP_MD_CTX_free(md);
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
  std::string rs(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(rs.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(rs.data()) + 32, 32);
  ECDSA_SIG_free(es);
  return input + "." + b64url(rs);
}

std::string hs256(const std::string& header, const std::string& payload, const std::string& secret) {
  std::string input = b64url(header) + "." + b64url(payload);
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + b64url(std::string(reinterpret_cast<char*>(mac), len));
}

EVP_PKEY* read_private_key(const std::string& path) {
  FILE* f = fopen(path.c_str(), "r");
  if (!f) return nullptr;
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  fclose(f);
  return key;
}

std::string public_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

// ---- HTTP shorthands -----------------------------------------------------------

std::string creds(const std::string& email, const std::string& password) {
  return json::serialize(json::object{{"email", email}, {"password", password}});
}

Reply post(TestServer& s, const std::string& path, const std::string& body, Headers h = {}) {
  return call(s.client(), Method::kPost, path, body, std::move(h));
}

void expect_error(const Reply& r, int status, const std::string& name, const std::string& message = "") {
  EXPECT_EQ(r.status, status) << r.body;
  if (!r.json.is_object()) {
    ADD_FAILURE() << "not JSON: " << r.body;
    return;
  }
  if (!name.empty()) {
    ASSERT_TRUE(r.json.as_object().contains("error")) << r.body;
    EXPECT_EQ(r.json.at("error").as_string(), name) << r.body;
  }
  if (!message.empty()) {
    EXPECT_EQ(r.json.at("message").as_string(), message) << r.body;
  }
}

std::string access_claims(const std::string& sub, const std::string& iss, int64_t iat, int64_t exp,
                          const std::string& use = "access", bool admin = true) {
  json::object o{{"sub", sub}, {"iss", iss}, {"iat", iat}, {"exp", exp}, {"jti", "t-1"}, {"token_use", use}};
  json::array groups;
  if (admin) groups.push_back("admin");
  o["groups"] = groups;
  return json::serialize(o);
}

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST(Auth, RegisterConfirmLoginAndTokenClaims) {
  TestServer server({.env = admin_env()});
  auto r = post(server, "/auth/register", creds("Alice@Example.com", "Passw0rdA"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("message").as_string(), "User registered. Check email for confirmation code.");
  EXPECT_EQ(r.json.at("userConfirmed").as_bool(), false);
  std::string sub(r.json.at("userSub").as_string());
  EXPECT_EQ(sub.size(), 36u);
  EXPECT_EQ(sub[14], '4');

  // Not confirmed yet: right password, 403.
  expect_error(post(server, "/auth/login", creds("alice@example.com", "Passw0rdA")), 403, "UserNotConfirmedException");

  std::string code = wait_for_code(server, "alice@example.com");
  ASSERT_EQ(code.size(), 6u);
  std::string wrong = code == "000000" ? "111111" : "000000";
  expect_error(
      post(server, "/auth/confirm", json::serialize(json::object{{"email", "alice@example.com"}, {"code", wrong}})),
      400, "CodeMismatchException", "Invalid verification code");
  r = post(server, "/auth/confirm", json::serialize(json::object{{"email", "ALICE@example.com"}, {"code", code}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("message").as_string(), "Email confirmed successfully");

  r = post(server, "/auth/login", creds("aLiCe@example.COM", "Passw0rdA"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("message").as_string(), "Login successful");
  const auto& t = r.json.at("tokens");
  EXPECT_EQ(t.at("expiresIn").as_int64(), 3600);
  EXPECT_EQ(t.at("tokenType").as_string(), "Bearer");
  std::string access(t.at("accessToken").as_string()), id(t.at("idToken").as_string());
  EXPECT_FALSE(t.at("refreshToken").as_string().empty());

  auto a = jwt_claims(access);
  EXPECT_EQ(a.at("sub").as_string(), sub);
  EXPECT_EQ(a.at("iss").as_string(), "cloudretail");
  EXPECT_EQ(a.at("token_use").as_string(), "access");
  EXPECT_EQ(a.at("exp").as_int64() - a.at("iat").as_int64(), 3600);
  EXPECT_FALSE(a.at("jti").as_string().empty());
  EXPECT_TRUE(a.at("groups").is_array());
  EXPECT_TRUE(a.at("groups").as_array().empty());
  auto i = jwt_claims(id);
  EXPECT_EQ(i.at("sub").as_string(), sub);
  EXPECT_EQ(i.at("email").as_string(), "alice@example.com");
  EXPECT_EQ(i.at("email_verified").as_bool(), true);
  EXPECT_EQ(i.at("token_use").as_string(), "id");
  EXPECT_FALSE(i.at("aud").as_string().empty());
  EXPECT_EQ(i.at("iss").as_string(), "cloudretail");

  // The welcome email went out after confirmation.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  size_t emails = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    emails = 0;
    for (const auto& e : std::filesystem::directory_iterator(server.data_dir() + "/outbox")) {
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      if (ss.str().find("To: alice@example.com") != std::string::npos) ++emails;
    }
    if (emails >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(emails, 2u);

  // Confirmed already.
  EXPECT_EQ(post(server, "/auth/confirm", json::serialize(json::object{{"email", "alice@example.com"}, {"code", code}}))
                .status,
            400);
}

TEST(Auth, RegisterErrors) {
  TestServer server({.env = admin_env()});
  expect_error(post(server, "/auth/register", R"({"email":"a@example.com"})"), 400, "",
               "email and password are required");
  expect_error(post(server, "/auth/register", R"({"password":"Passw0rdA"})"), 400, "",
               "email and password are required");
  expect_error(post(server, "/auth/register", "{not json"), 400, "", "Invalid JSON body");
  for (const char* bad : {"not-an-email", "a@b", "@example.com", "a b@example.com", "a@@example.com"})
    expect_error(post(server, "/auth/register", creds(bad, "Passw0rdA")), 400, "InvalidParameterException");
  for (const char* weak : {"Short1A", "alllowercase1", "ALLUPPERCASE1", "NoDigitsHere"})
    expect_error(post(server, "/auth/register", creds("weak@example.com", weak)), 400, "InvalidPasswordException");
  // A confirmed account cannot be registered again (an unconfirmed one is replaced: accounts_test).
  expect_error(post(server, "/auth/register", creds("ADMIN@Example.com", "Passw0rdC")), 400, "UsernameExistsException",
               "User already exists");
}

TEST(Auth, LoginErrorsLookTheSameForWrongPasswordAndUnknownAccount) {
  TestServer server({.env = admin_env()});
  auto wrong = post(server, "/auth/login", creds(kAdminEmail, "Wrong12345"));
  auto unknown = post(server, "/auth/login", creds("nobody@example.com", "Wrong12345"));
  expect_error(wrong, 401, "NotAuthorizedException", "Incorrect username or password");
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.status, unknown.status);
  expect_error(post(server, "/auth/login", R"({"email":"x@example.com"})"), 400, "", "email and password are required");
  expect_error(post(server, "/auth/login", "[1,2"), 400, "", "Invalid JSON body");
}

TEST(Auth, CodeIsVoidAfterFiveWrongTriesExpiresAndCanBeResent) {
  TestServer server;
  ASSERT_EQ(post(server, "/auth/register", creds("carol@example.com", "Passw0rdC")).status, 201);
  std::string code = wait_for_code(server, "carol@example.com");
  std::string wrong = code == "000000" ? "111111" : "000000";
  auto confirm = [&](const std::string& c) {
    return post(server, "/auth/confirm", json::serialize(json::object{{"email", "carol@example.com"}, {"code", c}}));
  };
  for (int i = 0; i < 5; ++i) expect_error(confirm(wrong), 400, "CodeMismatchException");
  // The right code no longer works: the code is void.
  expect_error(confirm(code), 400, "ExpiredCodeException");

  auto r = post(server, "/auth/resend-code", R"({"email":"Carol@example.com"})");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string code2 = wait_for_code(server, "carol@example.com", 1);

  // Expired: move the pending code's expiry into the past (in the SQLite file; the
  // PostgreSQL run of this suite skips that step).
  if (!testing_on_postgres()) {
    ASSERT_EQ(sqlite_exec(server.data_dir() + "/cloudretail.db",
                          "UPDATE auth_users SET code_expires_at = 1 WHERE email = 'carol@example.com'"),
              SQLITE_OK);
    expect_error(confirm(code2), 400, "ExpiredCodeException");
  }

  ASSERT_EQ(post(server, "/auth/resend-code", R"({"email":"carol@example.com"})").status, 200);
  std::string code3 = wait_for_code(server, "carol@example.com", 2);
  ASSERT_EQ(confirm(code3).status, 200);
  EXPECT_EQ(post(server, "/auth/login", creds("carol@example.com", "Passw0rdC")).status, 200);
  // An unknown email answers like a known one.
  EXPECT_EQ(post(server, "/auth/resend-code", R"({"email":"ghost@example.com"})").status, 200);
  expect_error(post(server, "/auth/confirm", R"({"email":"ghost@example.com","code":"123456"})"), 400,
               "CodeMismatchException");
}

TEST(Auth, TokensVerifyAgainstTheJwksWithAnIndependentImplementation) {
  TestServer server({.env = admin_env()});
  auto jwks = call(server.client(), Method::kGet, "/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200) << jwks.body;
  const auto& k = jwks.json.at("keys").at(0);
  EXPECT_EQ(k.at("kty").as_string(), "EC");
  EXPECT_EQ(k.at("crv").as_string(), "P-256");
  EXPECT_EQ(k.at("alg").as_string(), "ES256");
  EXPECT_EQ(k.at("use").as_string(), "sig");
  EVP_PKEY* key = key_from_jwk(std::string(k.at("x").as_string()), std::string(k.at("y").as_string()));
  ASSERT_NE(key, nullptr);

  auto tokens = login_admin(server);
  for (const auto& token : {tokens.access_token, tokens.id_token}) {
    auto header = json::parse(unb64url(token.substr(0, token.find('.')))).as_object();
    EXPECT_EQ(header.at("alg").as_string(), "ES256");
    EXPECT_EQ(header.at("kid").as_string(), k.at("kid").as_string());
    EXPECT_TRUE(verify_es256(token, key)) << token;
    // One flipped bit in the payload breaks the signature.
    std::string tampered = token;
    tampered[token.find('.') + 5] ^= 1;
    EXPECT_FALSE(verify_es256(tampered, key));
  }
  EVP_PKEY_free(key);

  // The key persists across restarts, and so do issued tokens.
  server.restart();
  auto again = call(server.client(), Method::kGet, "/.well-known/jwks.json");
  EXPECT_EQ(again.body, jwks.body);
  EXPECT_EQ(call(server.client(), Method::kGet, "/db-test", "", bearer(tokens.access_token)).status, 200);
  auto mode = std::filesystem::status(server.data_dir() + "/jwt-signing-key.pem").permissions();
  EXPECT_EQ(mode & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(Auth, ForgedExpiredAndMisusedTokensAreRefused) {
  TestServer server({.env = admin_env()});
  auto admin = login_admin(server);
  EVP_PKEY* server_key = read_private_key(server.data_dir() + "/jwt-signing-key.pem");
  ASSERT_NE(server_key, nullptr);
  auto header_of = [](const std::string& token) { return unb64url(token.substr(0, token.find('.'))); };
  std::string header = header_of(admin.access_token);
  const int64_t now = now_s();
  auto db_test = [&](const std::string& token) {
    return call(server.client(), Method::kGet, "/db-test", "", bearer(token)).status;
  };

  // Control: a token the test signs with the server's own key is accepted.
  EXPECT_EQ(db_test(sign_es256(header, access_claims(admin.user_id, "cloudretail", now, now + 600), server_key)), 200);

  // Expired (signed with the right key).
  EXPECT_EQ(
      db_test(sign_es256(header, access_claims(admin.user_id, "cloudretail", now - 7200, now - 3600), server_key)),
      401);
  // Wrong issuer; not an access token.
  EXPECT_EQ(db_test(sign_es256(header, access_claims(admin.user_id, "evil", now, now + 600), server_key)), 401);
  EXPECT_EQ(db_test(sign_es256(header, access_claims(admin.user_id, "cloudretail", now, now + 600, "id"), server_key)),
            401);

  // Signed by another key, with and without the server's kid.
  EVP_PKEY* other = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  EXPECT_EQ(db_test(sign_es256(header, access_claims(admin.user_id, "cloudretail", now, now + 600), other)), 401);
  EXPECT_EQ(db_test(sign_es256(R"({"alg":"ES256","typ":"JWT"})",
                               access_claims(admin.user_id, "cloudretail", now, now + 600), other)),
            401);
  EVP_PKEY_free(other);

  // alg none, with and without a signature part.
  std::string none = b64url(R"({"alg":"none","typ":"JWT"})") + "." +
                     b64url(access_claims(admin.user_id, "cloudretail", now, now + 600));
  EXPECT_EQ(db_test(none + "."), 401);
  EXPECT_EQ(db_test(none), 401);
  // HS256 keyed with the public key PEM (the classic algorithm confusion).
  std::string pem = public_pem(server_key);
  EXPECT_EQ(db_test(hs256(R"({"alg":"HS256","typ":"JWT"})", access_claims(admin.user_id, "cloudretail", now, now + 600),
                          pem)),
            401);
  // Same, but the header keeps the kid.
  auto kid = json::parse(header).at("kid").as_string();
  EXPECT_EQ(db_test(hs256(json::serialize(json::object{{"alg", "HS256"}, {"kid", kid}}),
                          access_claims(admin.user_id, "cloudretail", now, now + 600), pem)),
            401);
  EVP_PKEY_free(server_key);

  // An ID token is not a bearer token; garbage neither.
  EXPECT_EQ(db_test(admin.id_token), 401);
  EXPECT_EQ(db_test("not.a.jwt"), 401);
  EXPECT_EQ(db_test(admin.access_token), 200);

  // A user's token on an admin route: 403. No token on a user route: 401.
  auto user = register_and_login(server, "dave@example.com", "Passw0rdD");
  EXPECT_EQ(db_test(user.access_token), 403);
  for (const char* route : {"/cart", "/orders"}) {
    EXPECT_EQ(call(server.client(), Method::kGet, route).status, 401) << route;
    EXPECT_EQ(call(server.client(), Method::kGet, route, "", bearer(admin.id_token)).status, 401) << route;
    // Another user's data: 403 for a user, allowed for an admin.
    std::string other = std::string(route) + "?userId=" + admin.user_id;
    EXPECT_EQ(call(server.client(), Method::kGet, other, "", bearer(user.access_token)).status, 403) << route;
    EXPECT_EQ(call(server.client(), Method::kGet, std::string(route) + "?userId=" + user.user_id, "",
                   bearer(admin.access_token))
                  .status,
              200)
        << route;
    EXPECT_EQ(call(server.client(), Method::kGet, route, "", bearer(user.access_token)).status, 200) << route;
  }
  // The service token does not open admin routes.
  EXPECT_EQ(call(server.client(), Method::kGet, "/db-test", "", service_token()).status, 401);
}

TEST(Auth, RefreshRotatesAndReuseRevokesTheFamily) {
  TestServer server({.env = admin_env()});
  auto t = login_admin(server);
  auto refresh = [&](const std::string& rt) {
    return post(server, "/auth/refresh", json::serialize(json::object{{"refreshToken", rt}}));
  };
  auto r1 = refresh(t.refresh_token);
  ASSERT_EQ(r1.status, 200) << r1.body;
  std::string rt2(r1.json.at("tokens").at("refreshToken").as_string());
  std::string access2(r1.json.at("tokens").at("accessToken").as_string());
  EXPECT_NE(rt2, t.refresh_token);
  EXPECT_EQ(r1.json.at("tokens").at("expiresIn").as_int64(), 3600);
  EXPECT_EQ(jwt_claims(r1.json.at("tokens").at("idToken").as_string().c_str()).at("token_use").as_string(), "id");
  EXPECT_EQ(call(server.client(), Method::kGet, "/db-test", "", bearer(access2)).status, 200);

  auto r2 = refresh(rt2);
  ASSERT_EQ(r2.status, 200) << r2.body;
  std::string rt3(r2.json.at("tokens").at("refreshToken").as_string());

  // The first token again within 30 s of its use (a client that retried): that same
  // rotation's pair, not reuse.
  auto again = refresh(t.refresh_token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json.at("tokens").at("refreshToken").as_string(), rt2);
  EXPECT_EQ(again.json.at("tokens").at("accessToken").as_string(), access2);

  // Older than 30 s, it is reuse: refused, and the chain is revoked. (Ageing the use
  // edits the SQLite file; the PostgreSQL run revokes through logout instead.)
  if (!testing_on_postgres()) {
    ASSERT_EQ(sqlite_exec(server.data_dir() + "/cloudretail.db",
                          "UPDATE auth_refresh_tokens SET used_at = used_at - 31000 WHERE used_at IS NOT NULL"),
              SQLITE_OK);
    expect_error(refresh(t.refresh_token), 401, "NotAuthorizedException");
  } else {
    ASSERT_EQ(post(server, "/auth/logout", json::serialize(json::object{{"refreshToken", rt3}})).status, 200);
  }
  expect_error(refresh(rt3), 401, "NotAuthorizedException");
  expect_error(refresh(rt2), 401, "NotAuthorizedException");

  // Another login is a new family, unaffected.
  auto fresh = login_admin(server);
  EXPECT_EQ(refresh(fresh.refresh_token).status, 200);
  expect_error(refresh("garbage"), 401, "NotAuthorizedException");
  EXPECT_EQ(refresh("").status, 400);
}

TEST(Auth, LogoutRevokesTheRefreshToken) {
  TestServer server({.env = admin_env()});
  auto t = login_admin(server);
  auto r = post(server, "/auth/logout", json::serialize(json::object{{"refreshToken", t.refresh_token}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json.at("message").as_string(), "Logged out successfully");
  EXPECT_EQ(post(server, "/auth/refresh", json::serialize(json::object{{"refreshToken", t.refresh_token}})).status,
            401);
  // The original's body-less logout still answers 200.
  EXPECT_EQ(post(server, "/auth/logout", "").status, 200);
}

TEST(Auth, RepeatedFailuresAreThrottledThenAllowedAgain) {
  TestServer server({.env = admin_env()});
  for (int i = 0; i < 6; ++i)
    expect_error(post(server, "/auth/login", creds(kAdminEmail, "Wrong12345")), 401, "NotAuthorizedException");
  auto r = post(server, "/auth/login", creds(kAdminEmail, "Wrong12345"));
  expect_error(r, 429, "TooManyRequestsException");
  EXPECT_FALSE(r.header("Retry-After").empty());
  // Even the right password waits while blocked...
  EXPECT_EQ(post(server, "/auth/login", creds(kAdminEmail, kAdminPassword)).status, 429);
  // ... and works once the Retry-After has passed.
  std::this_thread::sleep_for(std::chrono::seconds(std::stoi(r.header("Retry-After"))) +
                              std::chrono::milliseconds(200));
  EXPECT_EQ(post(server, "/auth/login", creds(kAdminEmail, kAdminPassword)).status, 200);

  // Per address: many accounts from one address.
  int throttled = 0;
  for (int i = 0; i < 30 && !throttled; ++i) {
    auto x = post(server, "/auth/login", creds("spray" + std::to_string(i) + "@example.com", "Wrong12345"));
    if (x.status == 429) throttled = i;
  }
  EXPECT_GT(throttled, 5);
  // The gateway's X-Forwarded-For (trusted from loopback peers only) names another client.
  EXPECT_EQ(
      post(server, "/auth/login", creds(kAdminEmail, kAdminPassword), {{"X-Forwarded-For", "203.0.113.7"}}).status,
      200);
  EXPECT_EQ(post(server, "/auth/login", creds(kAdminEmail, kAdminPassword)).status, 429);
}

TEST(Auth, AdminCreateCommandAndConfiguredKeyFile) {
  std::string dir = make_temp_dir();
  std::string out;
  ASSERT_EQ(run_command({"admin", "create", "--email", "Ops@Example.com", "--password", "Opsword123"},
                        {{"DATA_DIR", dir}}, &out),
            0)
      << out;
  EXPECT_EQ(out.find("Opsword123"), std::string::npos);  // never echoes the password
  EXPECT_NE(
      run_command({"admin", "create", "--email", "ops2@example.com", "--password", "weak"}, {{"DATA_DIR", dir}}, &out),
      0);

  // A key supplied by file is the one published.
  std::string key_path = dir + "/supplied.pem";
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  FILE* f = fopen(key_path.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  fclose(f);
  TestServer server({.env = {{"JWT_PRIVATE_KEY_FILE", key_path}}, .data_dir = dir});
  auto t = login(server, "ops@example.com", "Opsword123");
  auto groups = jwt_claims(t.access_token).at("groups").as_array();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].as_string(), "admin");
  auto jwks = call(server.client(), Method::kGet, "/.well-known/jwks.json");
  const auto& k = jwks.json.at("keys").at(0);
  EVP_PKEY* published = key_from_jwk(std::string(k.at("x").as_string()), std::string(k.at("y").as_string()));
  EXPECT_EQ(EVP_PKEY_eq(published, key), 1);
  EXPECT_TRUE(verify_es256(t.access_token, published));
  EVP_PKEY_free(published);
  EVP_PKEY_free(key);
  EXPECT_EQ(call(server.client(), Method::kGet, "/db-test", "", bearer(t.access_token)).status, 200);
  server.stop();
  std::filesystem::remove_all(dir);

  // A bad key file stops the start with a clear line.
  std::string dir2 = make_temp_dir();
  std::ofstream(dir2 + "/bad.pem") << "not a key";
  EXPECT_NE(run_command({"migrate"}, {{"DATA_DIR", dir2}, {"JWT_PRIVATE_KEY_FILE", dir2 + "/bad.pem"}}, &out), 0);
  EXPECT_NE(out.find("JWT_PRIVATE_KEY_FILE"), std::string::npos) << out;
  std::filesystem::remove_all(dir2);
}

TEST(Auth, SplitDeploymentVerifiesTokensAgainstTheJwks) {
  TestServer auth_server({.env = admin_env(), .args = {"serve", "--services", "auth,notification"}});
  TestServer db_server({.env = {{"AUTH_API_BASE", auth_server.base_url()}},
                        .args = {"serve", "--services", "dbtest"},
                        .data_dir = auth_server.data_dir()});
  auto admin = login_admin(auth_server);
  auto user = register_and_login(auth_server, "split@example.com", "Passw0rdS");
  auto db_test = [&](Headers h) { return call(db_server.client(), Method::kGet, "/db-test", "", std::move(h)).status; };
  EXPECT_EQ(db_test(bearer(admin.access_token)), 200);
  EXPECT_EQ(db_test(bearer(user.access_token)), 403);
  EXPECT_EQ(db_test(bearer(admin.id_token)), 401);
  EXPECT_EQ(db_test({}), 401);
  // A token from another key, even one naming the right kid, is refused.
  EVP_PKEY* other = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  std::string header = unb64url(admin.access_token.substr(0, admin.access_token.find('.')));
  EXPECT_EQ(
      db_test(bearer(sign_es256(header, access_claims(admin.user_id, "cloudretail", now_s(), now_s() + 600), other))),
      401);
  EVP_PKEY_free(other);
}

TEST(Auth, SplitDeploymentRecoversWhenTheAuthServiceComesBack) {
  // A fixed free port, so the auth process can come back at the same address.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string port = std::to_string(ntohs(addr.sin_port));
  ::close(fd);

  auto env = admin_env();
  env["PORT"] = port;
  TestServer auth_server({.env = env, .args = {"serve", "--services", "auth"}});
  auto admin = login_admin(auth_server);
  auth_server.stop();

  TestServer db_server({.env = {{"AUTH_API_BASE", "http://127.0.0.1:" + port}},
                        .args = {"serve", "--services", "dbtest"},
                        .data_dir = auth_server.data_dir()});
  auto db_test = [&] { return call(db_server.client(), Method::kGet, "/db-test", "", bearer(admin.access_token)); };
  // Auth down: refused promptly, not hung.
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(db_test().status, 401);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));

  auth_server.restart();
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline && (status = db_test().status) != 200)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(status, 200);
}
