// Identity in-process: keys, the token verifier (with a fake clock), throttling,
// input rules, and the repository's refresh-token rotation on SQLite.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "auth/auth_repository.hpp"
#include "auth/auth_service.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_signer.hpp"
#include "authn/ec_keys.hpp"
#include "authn/jwt_verifier.hpp"
#include "core/crypto.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"

using namespace cloudretail;
using namespace cloudretail::auth;
using namespace cloudretail::authn;  // token verification, tested beside the signer

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

// Issue 15 defect 1: a flood of distinct keys used to clear the whole map, unblocking
// an account under attack. Now the map stays bounded and only idle or unblocked
// entries make room; an active block survives any flood.
TEST(AuthThrottle, StaysBoundedUnderAFloodOfKeysWithoutForgettingAnActiveBlock) {
  FakeClock clock;
  LoginThrottle throttle(clock, 100);
  ThrottlePolicy policy{3, 60'000, 1'000, 900'000};
  for (int i = 0; i < 10; ++i) throttle.record_failure("account:victim", policy);
  const int64_t blocked = throttle.blocked_for_ms("account:victim");
  ASSERT_GT(blocked, 60'000);
  for (int i = 0; i < 100'000; ++i) throttle.record_failure("flood:" + std::to_string(i), policy);
  EXPECT_LE(throttle.size(), 100u);
  EXPECT_EQ(throttle.blocked_for_ms("account:victim"), blocked);
  // Idle entries go first: once the flood's window is over they make room for new keys.
  clock.advance_ms(61'000);
  throttle.record_failure("new", policy);
  EXPECT_LE(throttle.size(), 100u);
  EXPECT_EQ(throttle.blocked_for_ms("account:victim"), blocked - 61'000);

  // A map full of active blocks keeps every one of them; a new key is simply not tracked.
  LoginThrottle full(clock, 10);
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 5; ++j) full.record_failure("b" + std::to_string(i), policy);
  full.record_failure("late", policy);
  EXPECT_EQ(full.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_GT(full.blocked_for_ms("b" + std::to_string(i)), 0) << i;
}

TEST(AuthThrottle, QuotaAllowsLimitPerWindowThenBlocksUntilTheWindowEnds) {
  FakeClock clock;
  LoginThrottle throttle(clock);
  Quota quota{5, 3'600'000};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(throttle.take("q", quota), 0) << i;
  clock.advance_ms(600'000);
  EXPECT_EQ(throttle.take("q", quota), 3'000'000);  // until the hour that began with the first
  EXPECT_EQ(throttle.blocked_for_ms("q"), 3'000'000);
  EXPECT_EQ(throttle.take("other", quota), 0);
  clock.advance_ms(3'000'000);
  EXPECT_EQ(throttle.take("q", quota), 0);  // a new window
}

TEST(AuthRules, EmailsAndPasswords) {
  EXPECT_EQ(normalize_email("  User@Example.COM "), "user@example.com");
  EXPECT_TRUE(valid_email("user@example.com"));
  EXPECT_TRUE(valid_email("first.last+tag@sub.example.co.uk"));
  for (const char* bad : {"", "user", "user@", "@example.com", "user@example", "a@b@c.com", "us er@example.com",
                          "user@.example.com", "user@example..com", "user@example.com.", "t\xc3\xabst@example.com",
                          "user@b\xc3\xbc"
                          "cher.example"})  // the mailer refuses non-ASCII
    EXPECT_FALSE(valid_email(bad)) << bad;
  EXPECT_TRUE(valid_password("Passw0rd"));
  for (const char* bad : {"Pass0rd", "password1", "PASSWORD1", "Password", ""})
    EXPECT_FALSE(valid_password(bad)) << bad;
}

TEST(AuthRepository, RefreshRotationAndReuseOnSqlite) {
  cloudretail::testing::FreshDatabase fresh(cloudretail::testing::Backend::kSqlite, "auth-repo-");
  {
    auto db = fresh.open(2);
    db::apply_migrations(*db, AuthRepository::migrations(db->dialect()));
    AuthRepository repo(*db);
    User u = sample_user();
    u.password_hash = "x";
    ASSERT_TRUE(repo.insert_user(u));
    User dup = u;
    dup.id = "another";
    EXPECT_FALSE(repo.insert_user(dup));  // same email

    repo.insert_refresh_token("h1", "fam", u.id, 100'000, 0);
    auto r = repo.rotate_refresh_token("h1", "h2", 100, 30'000);
    EXPECT_EQ(r.kind, AuthRepository::Rotation::kRotated);
    EXPECT_EQ(r.user_id, u.id);
    EXPECT_EQ(r.used_at_ms, 100);
    // Issue 14 defect 7: the same token again within the grace is that same rotation.
    auto again = repo.rotate_refresh_token("h1", "h2", 30'100, 30'000);
    EXPECT_EQ(again.kind, AuthRepository::Rotation::kRetried);
    EXPECT_EQ(again.used_at_ms, 100);
    EXPECT_EQ(repo.rotate_refresh_token("h2", "h3", 30'200, 30'000).kind, AuthRepository::Rotation::kRotated);
    // After the grace it is reuse, and the family falls.
    EXPECT_EQ(repo.rotate_refresh_token("h1", "h2", 30'101, 30'000).kind, AuthRepository::Rotation::kReused);
    EXPECT_EQ(repo.rotate_refresh_token("h3", "h5", 30'300, 30'000).kind, AuthRepository::Rotation::kReused);
    EXPECT_EQ(repo.rotate_refresh_token("h2", "h3", 30'300, 30'000).kind, AuthRepository::Rotation::kReused);
    EXPECT_EQ(repo.rotate_refresh_token("nope", "h6", 400, 30'000).kind, AuthRepository::Rotation::kUnknown);

    repo.insert_refresh_token("e1", "fam2", u.id, 1'000, 0);
    EXPECT_EQ(repo.rotate_refresh_token("e1", "e2", 1'000, 30'000).kind, AuthRepository::Rotation::kExpired);
    EXPECT_GE(repo.purge_expired_refresh_tokens(20'000), 1);

    // The code attempt budget is spent atomically.
    repo.set_code(u.id, "codehash", 5'000, 0);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(repo.take_code_attempt(u.id, 5));
    EXPECT_FALSE(repo.take_code_attempt(u.id, 5));

    // A pending sign-up is replaced (new id and code); a confirmed account never is.
    User pending;
    pending.id = "pending-1";
    pending.email = "pending@example.com";
    pending.password_hash = "attacker";
    pending.code_hash = "c1";
    pending.created_at_ms = 1'000;
    ASSERT_TRUE(repo.insert_user(pending));
    User again_user = pending;
    again_user.id = "pending-2";
    again_user.password_hash = "owner";
    again_user.code_hash = "c2";
    again_user.created_at_ms = 2'000;
    EXPECT_TRUE(repo.replace_pending(again_user));
    auto now_pending = repo.find_by_email("pending@example.com");
    ASSERT_TRUE(now_pending);
    EXPECT_EQ(now_pending->id, "pending-2");
    EXPECT_EQ(now_pending->password_hash, "owner");
    EXPECT_EQ(*now_pending->code_hash, "c2");
    User confirmed_again = u;
    confirmed_again.id = "squatter";
    EXPECT_FALSE(repo.replace_pending(confirmed_again));
    EXPECT_EQ(repo.find_by_email(u.email)->id, u.id);

    // Reset: the code must be the pending one; it confirms and revokes every refresh token.
    repo.insert_refresh_token("r1", "famr", "pending-2", 100'000, 0);
    repo.set_reset_code("pending-2", "reset-hash", 10'000, 3'000);
    EXPECT_FALSE(repo.reset_password("pending-2", "wrong", "new", 4'000));
    EXPECT_TRUE(repo.reset_password("pending-2", "reset-hash", "new", 4'000));
    EXPECT_TRUE(repo.find_by_id("pending-2")->confirmed);
    EXPECT_FALSE(repo.find_by_id("pending-2")->reset_code_hash);
    EXPECT_EQ(repo.rotate_refresh_token("r1", "r2", 5'000, 30'000).kind, AuthRepository::Rotation::kReused);

    // Unconfirmed accounts go 24 h after their last code; confirmed ones stay.
    User stale = pending;
    stale.id = "stale";
    stale.email = "stale@example.com";
    ASSERT_TRUE(repo.insert_user(stale));  // updated_at 1'000
    EXPECT_EQ(repo.purge_pending_users(1'500), 1);
    EXPECT_FALSE(repo.find_by_email("stale@example.com"));
    EXPECT_TRUE(repo.find_by_email("pending@example.com"));
  }
}

TEST(AuthPasswords, HashVerifyAndRefuseBeyondAnAddressShare) {
  PasswordHasher hasher(HasherLimits{6, 3, 2, 1});
  const HashTicket a{HashTicket::Lane::kLogin, "10.0.0.1", false};
  std::string h = hasher.hash("Passw0rdA", a);
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_NE(h.find("m=19456,t=3,p=1"), std::string::npos) << h;
  EXPECT_TRUE(hasher.verify(h, "Passw0rdA", a));
  EXPECT_FALSE(hasher.verify(h, "Passw0rdB", a));

  // Six at once from one address with a share of two: some are refused at once.
  std::atomic<int> ok{0}, busy{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      try {
        (void)hasher.verify(h, "Passw0rdA", a);
        ++ok;
      } catch (const HasherBusy&) {
        ++busy;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_GE(ok.load(), 2);
  EXPECT_GE(busy.load(), 1);
  // Waiting callers are never refused.
  EXPECT_TRUE(hasher.verify(h, "Passw0rdA", HashTicket{HashTicket::Lane::kLogin, "", true}));
}

// Issue 15 defect 2: sign-ups from one address queue behind logins and never take
// the whole queue; a login from another address runs next after the hash in progress.
TEST(AuthPasswords, LoginsGoBeforeAQueueOfSignUps) {
  PasswordHasher hasher(HasherLimits{6, 3, 2, 1});
  const std::string h = hasher.hash("Passw0rdA", HashTicket{});
  std::mutex mu;
  std::vector<std::string> order;
  std::atomic<int> refused{0};
  auto run = [&](HashTicket t, std::string name) {
    try {
      if (t.lane == HashTicket::Lane::kSignUp)
        (void)hasher.hash("Passw0rdA", t);
      else
        (void)hasher.verify(h, "Passw0rdA", t);
      std::lock_guard lock(mu);
      order.push_back(name);
    } catch (const HasherBusy&) {
      ++refused;
    }
  };
  // Six sign-ups (operator tickets, so all are admitted) fill the sign-up lane beyond its
  // share; another sign-up is refused at once.
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back(run, HashTicket{HashTicket::Lane::kSignUp, "flood" + std::to_string(i), true},
                         "signup" + std::to_string(i));
  // Wait until they queue (one hashes, the rest wait), not for a fixed time: on a fast
  // machine six hashes finish within any sleep long enough for a slow one to queue.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (hasher.waiting() < 4 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
  EXPECT_GE(hasher.waiting(), 3) << "the sign-ups never queued";
  EXPECT_THROW((void)hasher.hash("Passw0rdA", HashTicket{HashTicket::Lane::kSignUp, "flood9", false}), HasherBusy);
  size_t done_before_login;
  {
    std::lock_guard lock(mu);
    done_before_login = order.size();
  }
  threads.emplace_back(run, HashTicket{HashTicket::Lane::kLogin, "shopper", false}, "login");
  for (auto& t : threads) t.join();
  ASSERT_EQ(order.size(), 7u);
  EXPECT_EQ(refused.load(), 0);
  // Only the sign-up already hashing ran between the login's arrival and its turn (plus,
  // at most, one that had just finished but not yet written itself down); first come,
  // first served would have put the login last.
  size_t login_at = std::find(order.begin(), order.end(), "login") - order.begin();
  EXPECT_LE(login_at, done_before_login + 2) << "login ran " << login_at << "th";
}

TEST(AuthGuards, EachGuardAdmitsWhomTheContractSays) {
  FakeClock clock;
  TokenSigner signer(generate_p256_private_pem(), "cloudretail", "aud");
  GuardAuthenticator guards("service-token-0123456789",
                            JwtVerifier::with_key(signer.public_key(), "cloudretail", clock));
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
    return authn::resolve_user_id(req);
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
