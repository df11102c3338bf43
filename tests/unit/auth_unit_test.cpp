// Identity in-process: keys, the token verifier (with a fake clock), throttling,
// input rules, and the repository's refresh-token rotation on SQLite.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "auth/auth_repository.hpp"
#include "auth/auth_service.hpp"
#include "auth/ec_keys.hpp"
#include "auth/jwt_verifier.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_signer.hpp"
#include "core/crypto.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"

using namespace cloudretail;
using namespace cloudretail::auth;

namespace {

User sample_user(bool admin = false) {
  User u;
  u.id = "0b6f1e8e-2f3a-4c5d-9e8f-123456789abc";
  u.email = "user@example.com";
  u.confirmed = true;
  if (admin) u.groups = {"admin"};
  return u;
}

std::string b64(const std::string& s) { return crypto::base64url_encode(s); }

}  // namespace

TEST(AuthKeys, PublicKeyRoundTripsThroughTheJwk) {
  std::string pem = generate_p256_private_pem();
  EXPECT_NE(pem.find("BEGIN PRIVATE KEY"), std::string::npos);  // PKCS#8
  auto pub = public_key_from_private_pem(pem);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->kid.size(), 43u);
  auto again = public_key_from_jwk(pub->x, pub->y);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kid, pub->kid);
  EXPECT_EQ(again->pem, pub->pem);
  // Another key, another kid.
  EXPECT_NE(public_key_from_private_pem(generate_p256_private_pem())->kid, pub->kid);
}

TEST(AuthKeys, RejectsWhatIsNotAP256Key) {
  EXPECT_FALSE(public_key_from_private_pem("nope").ok());
  std::string x(32, '\x01'), y(32, '\x02');  // not on the curve
  EXPECT_FALSE(public_key_from_jwk(b64(x), b64(y)).ok());
  EXPECT_FALSE(public_key_from_jwk("short", "short").ok());
  EXPECT_THROW(TokenSigner("not a key", "cloudretail", "aud"), std::runtime_error);
}

TEST(AuthVerifier, AcceptsOwnAccessTokensUntilTheyExpireEvenWhenCached) {
  FakeClock clock;
  TokenSigner signer(generate_p256_private_pem(), "cloudretail", "cloudretail-client");
  auto verifier = JwtVerifier::with_key(signer.public_key(), "cloudretail", clock);
  std::string token = signer.access_token(sample_user(true), clock.now_seconds());
  for (int i = 0; i < 2; ++i) {  // second time from the cache
    auto p = verifier->verify_access_token(token);
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->user_id, sample_user().id);
    EXPECT_TRUE(p->is_admin);
    ASSERT_EQ(p->groups.size(), 1u);
  }
  auto user = verifier->verify_access_token(signer.access_token(sample_user(false), clock.now_seconds()));
  ASSERT_TRUE(user.ok());
  EXPECT_FALSE(user->is_admin);

  clock.advance_ms(3599'000);
  EXPECT_TRUE(verifier->verify_access_token(token).ok());
  clock.advance_ms(1'000);
  auto expired = verifier->verify_access_token(token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthorized);
}

TEST(AuthVerifier, RefusesIdTokensOtherIssuersOtherKeysAndOtherAlgorithms) {
  FakeClock clock;
  TokenSigner signer(generate_p256_private_pem(), "cloudretail", "cloudretail-client");
  auto verifier = JwtVerifier::with_key(signer.public_key(), "cloudretail", clock);
  const int64_t now = clock.now_seconds();
  EXPECT_FALSE(verifier->verify_access_token(signer.id_token(sample_user(), now)).ok());

  TokenSigner other_issuer(generate_p256_private_pem(), "evil", "x");
  auto other_iss_verifier = JwtVerifier::with_key(other_issuer.public_key(), "cloudretail", clock);
  EXPECT_FALSE(other_iss_verifier->verify_access_token(other_issuer.access_token(sample_user(), now)).ok());

  TokenSigner other_key(generate_p256_private_pem(), "cloudretail", "x");
  EXPECT_FALSE(verifier->verify_access_token(other_key.access_token(sample_user(), now)).ok());

  // Same kid, signature from another key.
  std::string good = signer.access_token(sample_user(true), now);
  std::string foreign = other_key.access_token(sample_user(true), now);
  std::string spliced = good.substr(0, good.rfind('.')) + foreign.substr(foreign.rfind('.'));
  EXPECT_FALSE(verifier->verify_access_token(spliced).ok());

  std::string claims = b64(R"({"sub":"u","iss":"cloudretail","exp":)" + std::to_string(now + 600) +
                           R"(,"token_use":"access","groups":["admin"]})");
  EXPECT_FALSE(verifier->verify_access_token(b64(R"({"alg":"none"})") + "." + claims + ".").ok());
  EXPECT_FALSE(verifier->verify_access_token(b64(R"({"alg":"none"})") + "." + claims).ok());
  std::string hs_input = b64(R"({"alg":"HS256","typ":"JWT"})") + "." + claims;
  std::string hs = hs_input + "." + b64(crypto::hmac_sha256(signer.public_key().pem, hs_input));
  EXPECT_FALSE(verifier->verify_access_token(hs).ok());
  std::string es_lower = b64(R"({"alg":"es256"})") + "." + claims + "." + good.substr(good.rfind('.') + 1);
  EXPECT_FALSE(verifier->verify_access_token(es_lower).ok());
  for (const char* junk : {"", ".", "..", "a.b.c", "a.b", "a.b.c.d"})
    EXPECT_FALSE(verifier->verify_access_token(junk).ok()) << junk;
  EXPECT_FALSE(verifier->verify_access_token(std::string(10000, 'a')).ok());
}

TEST(AuthThrottle, BlocksAfterFreeFailuresAndForgetsAfterTheWindow) {
  FakeClock clock;
  LoginThrottle throttle(clock);
  ThrottlePolicy policy{3, 60'000, 1'000, 8'000};
  for (int i = 0; i < 3; ++i) throttle.record_failure("k", policy);
  EXPECT_EQ(throttle.blocked_for_ms("k"), 0);
  throttle.record_failure("k", policy);
  EXPECT_EQ(throttle.blocked_for_ms("k"), 1'000);
  throttle.record_failure("k", policy);
  EXPECT_EQ(throttle.blocked_for_ms("k"), 2'000);
  for (int i = 0; i < 10; ++i) throttle.record_failure("k", policy);
  EXPECT_EQ(throttle.blocked_for_ms("k"), 8'000);  // capped
  EXPECT_EQ(throttle.blocked_for_ms("other"), 0);
  clock.advance_ms(8'000);
  EXPECT_EQ(throttle.blocked_for_ms("k"), 0);
  // After the window, one failure is free again.
  clock.advance_ms(61'000);
  throttle.record_failure("k", policy);
  EXPECT_EQ(throttle.blocked_for_ms("k"), 0);
  throttle.reset("k");
  EXPECT_EQ(throttle.blocked_for_ms("k"), 0);
}

TEST(AuthThrottle, StaysBoundedUnderAFloodOfKeys) {
  FakeClock clock;
  LoginThrottle throttle(clock, 100);
  for (int i = 0; i < 1000; ++i) throttle.record_failure("k" + std::to_string(i), ThrottlePolicy{});
  SUCCEED();
}

TEST(AuthRules, EmailsAndPasswords) {
  EXPECT_EQ(normalize_email("  User@Example.COM "), "user@example.com");
  EXPECT_TRUE(valid_email("user@example.com"));
  EXPECT_TRUE(valid_email("first.last+tag@sub.example.co.uk"));
  for (const char* bad : {"", "user", "user@", "@example.com", "user@example", "a@b@c.com", "us er@example.com",
                          "user@.example.com", "user@example..com", "user@example.com."})
    EXPECT_FALSE(valid_email(bad)) << bad;
  EXPECT_TRUE(valid_password("Passw0rd"));
  for (const char* bad : {"Pass0rd", "password1", "PASSWORD1", "Password", ""})
    EXPECT_FALSE(valid_password(bad)) << bad;
}

TEST(AuthRepository, RefreshRotationAndReuseOnSqlite) {
  auto dir = std::filesystem::temp_directory_path() / ("auth-repo-" + crypto::random_token(6));
  std::filesystem::create_directories(dir);
  {
    auto db = db::open_database({"", (dir / "t.db").string(), 2, "NORMAL"});
    db::apply_migrations(*db, AuthRepository::migrations());
    AuthRepository repo(*db);
    User u = sample_user();
    u.password_hash = "x";
    ASSERT_TRUE(repo.insert_user(u));
    User dup = u;
    dup.id = "another";
    EXPECT_FALSE(repo.insert_user(dup));  // same email

    repo.insert_refresh_token("h1", "fam", u.id, 10'000, 0);
    auto r = repo.rotate_refresh_token("h1", "h2", 100);
    EXPECT_EQ(r.kind, AuthRepository::Rotation::kRotated);
    EXPECT_EQ(r.user_id, u.id);
    EXPECT_EQ(repo.rotate_refresh_token("h2", "h3", 200).kind, AuthRepository::Rotation::kRotated);
    EXPECT_EQ(repo.rotate_refresh_token("h1", "h4", 300).kind, AuthRepository::Rotation::kReused);
    EXPECT_EQ(repo.rotate_refresh_token("h3", "h5", 400).kind, AuthRepository::Rotation::kReused);  // family revoked
    EXPECT_EQ(repo.rotate_refresh_token("nope", "h6", 400).kind, AuthRepository::Rotation::kUnknown);

    repo.insert_refresh_token("e1", "fam2", u.id, 1'000, 0);
    EXPECT_EQ(repo.rotate_refresh_token("e1", "e2", 1'000).kind, AuthRepository::Rotation::kExpired);
    EXPECT_GE(repo.purge_expired_refresh_tokens(20'000), 1);

    // The code attempt budget is spent atomically.
    repo.set_code(u.id, "codehash", 5'000, 0);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(repo.take_code_attempt(u.id, 5));
    EXPECT_FALSE(repo.take_code_attempt(u.id, 5));
  }
  std::filesystem::remove_all(dir);
}

TEST(AuthPasswords, HashVerifyAndRefuseWhenSaturated) {
  PasswordHasher hasher(1, 0);
  std::string h = hasher.hash("Passw0rdA");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_NE(h.find("m=19456,t=3,p=1"), std::string::npos) << h;
  EXPECT_TRUE(hasher.verify(h, "Passw0rdA"));
  EXPECT_FALSE(hasher.verify(h, "Passw0rdB"));

  // Four at once with room for one: some are refused at once, none waits.
  std::atomic<int> ok{0}, busy{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      try {
        (void)hasher.verify(h, "Passw0rdA");
        ++ok;
      } catch (const HasherBusy&) {
        ++busy;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_GE(ok.load(), 1);
  EXPECT_GE(busy.load(), 1);
  // Waiting callers are never refused.
  EXPECT_TRUE(hasher.verify(h, "Passw0rdA", /*wait=*/true));
}

TEST(AuthGuards, EachGuardAdmitsWhomTheContractSays) {
  FakeClock clock;
  TokenSigner signer(generate_p256_private_pem(), "cloudretail", "aud");
  GuardAuthenticator guards("service-token-0123456789", JwtVerifier::with_key(signer.public_key(), "cloudretail", clock));
  std::string admin_h = "Bearer " + signer.access_token(sample_user(true), clock.now_seconds());
  std::string user_h = "Bearer " + signer.access_token(sample_user(false), clock.now_seconds());
  std::string id_h = "Bearer " + signer.id_token(sample_user(true), clock.now_seconds());
  auto status = [&](http::Guard g, std::vector<std::pair<std::string_view, std::string_view>> headers) {
    http::Request req;
    req.headers = std::move(headers);
    auto p = guards.authenticate(g, req);
    return p.ok() ? 200 : http_status(p.error().code);
  };
  using G = http::Guard;
  EXPECT_EQ(status(G::kPublic, {}), 200);
  EXPECT_EQ(status(G::kUser, {}), 401);
  EXPECT_EQ(status(G::kUser, {{"Authorization", user_h}}), 200);
  EXPECT_EQ(status(G::kUser, {{"Authorization", id_h}}), 401);
  EXPECT_EQ(status(G::kAdmin, {{"Authorization", user_h}}), 403);
  EXPECT_EQ(status(G::kAdmin, {{"Authorization", admin_h}}), 200);
  EXPECT_EQ(status(G::kAdmin, {{"X-Service-Token", "service-token-0123456789"}}), 401);
  EXPECT_EQ(status(G::kInternal, {{"X-Service-Token", "service-token-0123456789"}}), 200);
  EXPECT_EQ(status(G::kInternal, {{"X-Service-Token", "wrong"}}), 401);
  EXPECT_EQ(status(G::kInternal, {{"Authorization", admin_h}}), 200);
  EXPECT_EQ(status(G::kInternal, {{"Authorization", user_h}}), 403);
}

TEST(AuthGuards, ResolveUserIdDefaultsToTheCallerAndGuardsOthers) {
  auto resolve = [](http::Principal p, std::optional<std::string> asked) {
    http::Request req;
    req.principal = std::move(p);
    if (asked) req.query.emplace_back("userId", *asked);
    return auth::resolve_user_id(req);
  };
  http::Principal user{.user_id = "u-1"};
  http::Principal admin{.user_id = "a-1", .groups = {"admin"}, .is_admin = true};
  EXPECT_EQ(*resolve(user, std::nullopt), "u-1");
  EXPECT_EQ(*resolve(user, ""), "u-1");
  EXPECT_EQ(*resolve(user, "u-1"), "u-1");
  auto other = resolve(user, "u-2");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(*resolve(admin, "u-2"), "u-2");
  EXPECT_FALSE(resolve(http::Principal{}, std::nullopt).ok());
}
