// The Idempotency-Key platform piece: the middleware over a fake store (what each
// claim answers, what is remembered), and the SQL store on SQLite (label unit) and
// PostgreSQL (label pg, skipped without a test cluster), including the migration
// text existing databases recorded.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>
#include <stdexcept>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"
#include "idempotency/middleware.hpp"
#include "idempotency/sql_key_store.hpp"

using namespace cloudretail;
using idempotency::ClaimKind;
namespace fs = std::filesystem;

namespace {

/// Remembers what the middleware asked, answers what the test set.
class FakeKeyStore : public idempotency::KeyStore {
 public:
  idempotency::Claim next{ClaimKind::kClaimed, 0, {}};
  std::string claimed_scope, claimed_key, claimed_hash;
  int claims = 0, completes = 0, abandons = 0;
  int completed_status = 0;
  std::string completed_body;

  idempotency::Claim claim(const std::string& scope, const std::string& key, const std::string& hash) override {
    ++claims;
    claimed_scope = scope;
    claimed_key = key;
    claimed_hash = hash;
    return next;
  }
  void complete(const std::string&, const std::string&, int status, const std::string& body) override {
    ++completes;
    completed_status = status;
    completed_body = body;
  }
  void abandon(const std::string&, const std::string&) override { ++abandons; }
};

http::Request post(const std::string& path, const std::string& body, std::string_view key) {
  http::Request r;
  r.method = http::Method::kPost;
  r.path = path;
  r.body = body;
  if (!key.empty()) r.headers.emplace_back("Idempotency-Key", key);
  return r;
}

std::string header(const http::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

}  // namespace

TEST(IdempotencyMiddleware, WithoutAKeyTheHandlerJustRuns) {
  FakeKeyStore store;
  int runs = 0;
  auto r = idempotency::run_idempotent(store, post("/payments", "{}", ""), "u1", [&] {
    ++runs;
    return http::Response::json(201, "{}");
  });
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(store.claims, 0);
}

TEST(IdempotencyMiddleware, AClaimedKeyRemembersTheResponse) {
  FakeKeyStore store;
  auto r = idempotency::run_idempotent(store, post("/orders/checkout", "{\"a\":1}", "k1"), "u1",
                                       [] { return http::Response::json(201, "{\"id\":1}"); });
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(header(r, "Idempotent-Replayed"), "");
  EXPECT_EQ(store.claimed_scope, "u1");
  EXPECT_EQ(store.claimed_key, "k1");
  EXPECT_EQ(store.completes, 1);
  EXPECT_EQ(store.completed_status, 201);
  EXPECT_EQ(store.completed_body, "{\"id\":1}");

  // A client error is an answer too: the same request gets it again.
  idempotency::run_idempotent(store, post("/orders/checkout", "{}", "k2"), "u1",
                              [] { return http::Response::json(409, "{}"); });
  EXPECT_EQ(store.completes, 2);
  EXPECT_EQ(store.abandons, 0);
}

TEST(IdempotencyMiddleware, AHandlersErrorIsRememberedAsItsJsonAnswer) {
  FakeKeyStore store;
  const Error refused = conflict("Insufficient stock", "InsufficientStock").with_string("productId", "P1");
  auto r = idempotency::run_idempotent(store, post("/orders/checkout", "{}", "k"), "u1",
                                       [&]() -> Result<http::Response> { return refused; });
  const http::Response expected = http::Response::from_error(refused);
  EXPECT_EQ(r.status, expected.status);
  EXPECT_EQ(r.body, expected.body);
  EXPECT_EQ(store.completes, 1);
  EXPECT_EQ(store.completed_status, 409);
  EXPECT_EQ(store.completed_body, expected.body);
}

TEST(IdempotencyMiddleware, TheHashCoversMethodPathAndBody) {
  FakeKeyStore store;
  auto ok = [] { return http::Response::json(201, "{}"); };
  idempotency::run_idempotent(store, post("/payments", "{\"a\":1}", "k"), "u1", ok);
  const std::string first = store.claimed_hash;
  idempotency::run_idempotent(store, post("/payments", "{\"a\":1}", "k"), "u1", ok);
  EXPECT_EQ(store.claimed_hash, first);
  idempotency::run_idempotent(store, post("/payments", "{\"a\":2}", "k"), "u1", ok);
  EXPECT_NE(store.claimed_hash, first);
  idempotency::run_idempotent(store, post("/orders/checkout", "{\"a\":1}", "k"), "u1", ok);
  EXPECT_NE(store.claimed_hash, first);
}

TEST(IdempotencyMiddleware, ReplayMismatchAndInProgressDoNotRunTheHandler) {
  FakeKeyStore store;
  int runs = 0;
  auto handler = [&] {
    ++runs;
    return http::Response::json(201, "{}");
  };
  store.next = {ClaimKind::kReplay, 201, "{\"stored\":true}"};
  auto replay = idempotency::run_idempotent(store, post("/payments", "{}", "k"), "u1", handler);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, "{\"stored\":true}");
  EXPECT_EQ(header(replay, "Idempotent-Replayed"), "true");

  store.next = {ClaimKind::kMismatch, 0, {}};
  auto mismatch = idempotency::run_idempotent(store, post("/payments", "{}", "k"), "u1", handler);
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_NE(mismatch.body.find("IdempotencyKeyMismatch"), std::string::npos);

  store.next = {ClaimKind::kInProgress, 0, {}};
  auto busy = idempotency::run_idempotent(store, post("/payments", "{}", "k"), "u1", handler);
  EXPECT_EQ(busy.status, 409);
  EXPECT_NE(busy.body.find("IdempotencyKeyInUse"), std::string::npos);

  EXPECT_EQ(runs, 0);
  EXPECT_EQ(store.completes + store.abandons, 0);
}

TEST(IdempotencyMiddleware, ServerFailuresAreForgottenSoARetryRunsAgain) {
  FakeKeyStore store;
  auto r = idempotency::run_idempotent(store, post("/payments", "{}", "k"), "u1",
                                       [] { return http::Response::json(503, "{}"); });
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(store.abandons, 1);
  EXPECT_THROW(idempotency::run_idempotent(store, post("/payments", "{}", "k"), "u1",
                                           []() -> http::Response { throw std::runtime_error("db gone"); }),
               std::runtime_error);
  EXPECT_EQ(store.abandons, 2);
  EXPECT_EQ(store.completes, 0);
}

TEST(IdempotencyMiddleware, AnOverlongKeyIs400) {
  FakeKeyStore store;
  const std::string key(idempotency::kMaxKeyLength + 1, 'k');
  auto r = idempotency::run_idempotent(store, post("/payments", "{}", key), "u1",
                                       [] { return http::Response::json(201, "{}"); });
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(store.claims, 0);
}

TEST(SqlKeyStore, TableNamesArePlainIdentifiers) {
  EXPECT_TRUE(idempotency::valid_table_name("idempotency_keys"));
  EXPECT_TRUE(idempotency::valid_table_name("payment_idempotency_keys"));
  for (const char* bad : {"", "Keys", "1keys", "keys; DROP TABLE orders", "keys-x", "k\"eys", "_keys"})
    EXPECT_FALSE(idempotency::valid_table_name(bad)) << bad;
  EXPECT_FALSE(idempotency::valid_table_name(std::string(64, 'k')));
  EXPECT_THROW(idempotency::SqlKeyStore::migration("order", 2, "keys; --"), std::invalid_argument);
}

TEST(SqlKeyStore, MigrationTextIsWhatExistingDatabasesRecorded) {
  auto m = idempotency::SqlKeyStore::migration("payment", 2, "payment_idempotency_keys");
  EXPECT_EQ(m.service, "payment");
  EXPECT_EQ(m.version, 2);
  EXPECT_EQ(m.sql,
            "CREATE TABLE payment_idempotency_keys (scope TEXT NOT NULL, idem_key TEXT NOT NULL,"
            " request_hash TEXT NOT NULL, status TEXT NOT NULL, response_status BIGINT, response_body TEXT,"
            " created_at BIGINT NOT NULL, PRIMARY KEY (scope, idem_key));"
            "CREATE INDEX payment_idempotency_keys_created ON payment_idempotency_keys (created_at)");
}

// --- The SQL store on both backends --------------------------------------------

using cloudretail::testing::Backend;

class SqlKeyStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!fresh.available()) GTEST_SKIP() << cloudretail::testing::kNoTestPostgres;
    db = fresh.open(2);
    db::apply_migrations(*db, {idempotency::SqlKeyStore::migration("order", 2, "idempotency_keys")});
    store = std::make_unique<idempotency::SqlKeyStore>(*db, "idempotency_keys", clock);
  }
  void TearDown() override {
    store.reset();
    db.reset();
  }
  cloudretail::testing::FreshDatabase fresh{GetParam(), "cr-idem-"};
  FakeClock clock;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<idempotency::SqlKeyStore> store;
};

TEST_P(SqlKeyStoreTest, ClaimReplayMismatchInProgress) {
  EXPECT_EQ(store->claim("u1", "k", "h1").kind, ClaimKind::kClaimed);
  EXPECT_EQ(store->claim("u1", "k", "h1").kind, ClaimKind::kInProgress);
  EXPECT_EQ(store->claim("u1", "k", "h2").kind, ClaimKind::kMismatch);
  EXPECT_EQ(store->claim("u2", "k", "h1").kind, ClaimKind::kClaimed);  // scoped to the caller
  store->complete("u1", "k", 201, "{\"a\":1}");
  auto r = store->claim("u1", "k", "h1");
  EXPECT_EQ(r.kind, ClaimKind::kReplay);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "{\"a\":1}");
  clock.advance_ms(idempotency::SqlKeyStore::kKeepMs + 1);
  EXPECT_EQ(store->claim("u1", "k", "h2").kind, ClaimKind::kClaimed);  // expired after 24 h
}

TEST_P(SqlKeyStoreTest, AbandonedAndDeadClaimsCanBeTakenAgain) {
  EXPECT_EQ(store->claim("u1", "k", "h1").kind, ClaimKind::kClaimed);
  store->abandon("u1", "k");
  EXPECT_EQ(store->claim("u1", "k", "h1").kind, ClaimKind::kClaimed);
  // Left in progress by a process that died: free after two minutes.
  clock.advance_ms(idempotency::SqlKeyStore::kStaleInProgressMs + 1);
  EXPECT_EQ(store->claim("u1", "k", "h1").kind, ClaimKind::kClaimed);
  // A done key is not abandoned by mistake.
  store->complete("u1", "k", 201, "{}");
  store->abandon("u1", "k");
  EXPECT_EQ(store->claim("u1", "k", "h1").kind, ClaimKind::kReplay);
}

TEST_P(SqlKeyStoreTest, PurgeDropsKeysOlderThanADay) {
  ASSERT_EQ(store->claim("u1", "old", "h").kind, ClaimKind::kClaimed);
  store->complete("u1", "old", 201, "{}");
  clock.advance_ms(idempotency::SqlKeyStore::kKeepMs + 1);
  ASSERT_EQ(store->claim("u1", "new", "h").kind, ClaimKind::kClaimed);
  store->purge_expired();
  auto conn = db->acquire();
  auto rows = conn->query("SELECT idem_key FROM idempotency_keys");
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(rows.first().text(0), "new");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SqlKeyStoreTest, ::testing::Values(Backend::kSqlite),
                         [](const auto&) { return std::string("Sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, SqlKeyStoreTest, ::testing::Values(Backend::kPostgres),
                         [](const auto&) { return std::string("Postgres"); });
