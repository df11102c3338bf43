// The storage layer, one suite over both backends: SQLite (label unit) and
// PostgreSQL (label pg; skipped unless the ctest fixture `pg` or
// CLOUDRETAIL_TEST_PG_URL provides a test cluster).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"
#include "pg_cluster.hpp"

using namespace cloudretail;
using cloudretail::testing::Backend;
using cloudretail::testing::FreshDatabase;
using cloudretail::testing::kNoTestPostgres;
using db::DbError;

namespace {

class DbBackend : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!fresh_.available()) GTEST_SKIP() << kNoTestPostgres;
  }

  std::unique_ptr<db::Database> open(int pool = 4) { return fresh_.open(pool); }

  /// A database with `items (id TEXT PRIMARY KEY, n BIGINT NOT NULL, note TEXT)`.
  std::unique_ptr<db::Database> open_items(int pool = 4) {
    auto db = open(pool);
    db::apply_migrations(*db, {{"t", 1, "CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL, note TEXT)"}});
    return db;
  }

  FreshDatabase fresh_{GetParam(), "cr-dbb-"};
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return cloudretail::testing::backend_name(info.param);
}

}  // namespace

TEST_P(DbBackend, MigrationsApplyOnceAndAreIdempotent) {
  auto db = open();
  std::vector<db::Migration> ms{
      {"t", 1, "CREATE TABLE a (id TEXT PRIMARY KEY, n BIGINT NOT NULL); CREATE INDEX a_n ON a (n)"},
      {"t", 2, "ALTER TABLE a ADD COLUMN note TEXT"}};
  // A migration whose SQL differs per backend (a .sqlite.sql / .postgres.sql pair):
  // the list holds the half for this database's backend.
  const db::MigrationFile u_files[] = {
      {"001_b.postgres.sql", 1, db::Dialect::kPostgres, "CREATE TABLE b (id BIGSERIAL PRIMARY KEY, v TEXT)"},
      {"001_b.sqlite.sql", 1, db::Dialect::kSqlite, "CREATE TABLE b (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)"}};
  for (auto& m : db::migrations_for("u", u_files, db->dialect())) ms.push_back(m);
  EXPECT_EQ(db::apply_migrations(*db, ms), 3);
  EXPECT_EQ(db::apply_migrations(*db, ms), 0);
  // A new process (new pool) sees them applied too.
  auto again = open();
  EXPECT_EQ(db::apply_migrations(*again, ms), 0);
  ms.push_back({"t", 3, "CREATE TABLE c (k TEXT)"});
  EXPECT_EQ(db::apply_migrations(*again, ms), 1);

  auto conn = db->acquire();
  EXPECT_EQ(conn->query("SELECT COUNT(*) FROM schema_migrations").first().int64(0), 4);
  conn->execute("INSERT INTO a (id, n, note) VALUES (?, ?, ?)", "x", int64_t{1}, "hi");
  auto id = conn->query("INSERT INTO b (v) VALUES (?) RETURNING id", "v");
  EXPECT_EQ(id.first().int64(0), 1);
}

TEST_P(DbBackend, ConcurrentMigrationsFromFourThreadsApplyOnce) {
  std::vector<db::Migration> ms{{"t", 1, "CREATE TABLE once_only (id TEXT PRIMARY KEY)"},
                                {"t", 2, "INSERT INTO once_only (id) VALUES ('only-once')"}};
  std::atomic<int> applied{0}, failures{0};
  std::string first_error;
  std::mutex error_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      try {
        auto db = open(2);  // each thread is its own "process" with its own pool
        applied += db::apply_migrations(*db, ms);
      } catch (const std::exception& e) {
        ++failures;
        std::lock_guard lock(error_mutex);
        first_error = e.what();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0) << first_error;
  EXPECT_EQ(applied.load(), 2);
  auto db = open();
  auto conn = db->acquire();
  EXPECT_EQ(conn->query("SELECT COUNT(*) FROM once_only").first().int64(0), 1);
  EXPECT_EQ(conn->query("SELECT COUNT(*) FROM schema_migrations").first().int64(0), 2);
}

TEST_P(DbBackend, PlaceholdersBindInOrderAndLeaveQuotedQuestionMarksAlone) {
  auto db = open_items();
  auto conn = db->acquire();
  EXPECT_EQ(conn->execute("INSERT INTO items (id, n, note) VALUES (?, ?, ?)", "a", int64_t{5}, "what?"), 1);
  EXPECT_EQ(conn->execute("INSERT INTO items (id, n, note) VALUES (?, ?, 'literal ? mark')", "b", 7), 1);
  auto r = conn->query("SELECT id, n, note FROM items WHERE note = 'literal ? mark' AND n = ?", int64_t{7});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.first().text(0), "b");
  r = conn->query("SELECT id, n, note FROM items WHERE id = ? AND note = ?", std::string("a"), "what?");
  ASSERT_EQ(r.rows.size(), 1u);
  // Integer columns come back as numbers, text as text.
  auto row = r.first();
  EXPECT_EQ(row.int64(1), 5);
  EXPECT_EQ(row.text(1), "5");
  EXPECT_EQ(row.text(2), "what?");
  // The same statement again (cached prepared statement), different values.
  r = conn->query("SELECT id, n, note FROM items WHERE id = ? AND note = ?", "b", "literal ? mark");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.first().int64(1), 7);
  // Large and negative int64 values round-trip.
  conn->execute("INSERT INTO items (id, n) VALUES (?, ?)", "big", int64_t{9007199254740993});
  conn->execute("INSERT INTO items (id, n) VALUES (?, ?)", "neg", int64_t{-42});
  EXPECT_EQ(conn->query("SELECT n FROM items WHERE id = ?", "big").first().int64(0), 9007199254740993);
  EXPECT_EQ(conn->query("SELECT n FROM items WHERE id = ?", "neg").first().int64(0), -42);
  // Aggregates: COUNT is a number on both; SUM is NUMERIC text on PostgreSQL, and int64() reads it.
  auto agg = conn->query("SELECT COUNT(*), SUM(n) FROM items WHERE n > ?", int64_t{0});
  EXPECT_EQ(agg.first().int64(0), 3);
  EXPECT_EQ(agg.first().int64(1), 9007199254740993 + 5 + 7);
  // SELECT reports no changed rows; UPDATE/DELETE report theirs.
  EXPECT_EQ(conn->query("SELECT id FROM items").affected, 0);
  EXPECT_EQ(conn->execute("UPDATE items SET n = n + ? WHERE n > ?", 1, 0), 3);
  EXPECT_EQ(conn->execute("DELETE FROM items WHERE id = ?", "nope"), 0);
}

TEST_P(DbBackend, ReturningGivesTheChangedRowsOnly) {
  auto db = open_items();
  auto conn = db->acquire();
  auto ins = conn->query("INSERT INTO items (id, n) VALUES (?, ?) RETURNING id, n", "p", int64_t{4});
  ASSERT_EQ(ins.rows.size(), 1u);
  EXPECT_EQ(ins.first().text(0), "p");
  EXPECT_EQ(ins.first().int64(1), 4);
  EXPECT_EQ(ins.affected, 1);
  auto upd = conn->query("UPDATE items SET n = n - ? WHERE id = ? AND n >= ? RETURNING n", 3, "p", 3);
  ASSERT_EQ(upd.rows.size(), 1u);
  EXPECT_EQ(upd.first().int64(0), 1);
  upd = conn->query("UPDATE items SET n = n - ? WHERE id = ? AND n >= ? RETURNING n", 3, "p", 3);
  EXPECT_TRUE(upd.empty());
  EXPECT_EQ(upd.affected, 0);
}

TEST_P(DbBackend, OnConflictDoNothingAndDoUpdate) {
  auto db = open_items();
  auto conn = db->acquire();
  EXPECT_EQ(conn->execute("INSERT INTO items (id, n) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", "k", 1), 1);
  EXPECT_EQ(conn->execute("INSERT INTO items (id, n) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", "k", 9), 0);
  EXPECT_EQ(conn->query("SELECT n FROM items WHERE id = ?", "k").first().int64(0), 1);
  auto r = conn->query(
      "INSERT INTO items (id, n) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET n = items.n + excluded.n "
      "RETURNING n",
      "k", 10);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.first().int64(0), 11);
}

TEST_P(DbBackend, UniqueViolationIsReportedAsSuch) {
  auto db = open_items();
  auto conn = db->acquire();
  conn->execute("INSERT INTO items (id, n) VALUES (?, ?)", "dup", 1);
  try {
    conn->execute("INSERT INTO items (id, n) VALUES (?, ?)", "dup", 2);
    FAIL() << "no error";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind, DbError::Kind::kUniqueViolation) << e.what();
  }
  // Also inside a write transaction; the connection stays usable after the rollback.
  {
    db::Transaction tx(*conn, db::Transaction::kWrite);
    try {
      conn->execute("INSERT INTO items (id, n) VALUES (?, ?)", "dup", 3);
      FAIL() << "no error";
    } catch (const DbError& e) {
      EXPECT_EQ(e.kind, DbError::Kind::kUniqueViolation) << e.what();
    }
  }
  EXPECT_EQ(conn->query("SELECT n FROM items WHERE id = ?", "dup").first().int64(0), 1);
  // Other errors are not unique violations.
  try {
    conn->execute("INSERT INTO items (id) VALUES (?)", "no-n");
    FAIL() << "no error";
  } catch (const DbError& e) {
    EXPECT_NE(e.kind, DbError::Kind::kUniqueViolation);
  }
  try {
    conn->query("SELECT nope FROM items");
    FAIL() << "no error";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind, DbError::Kind::kOther);
  }
}

TEST_P(DbBackend, TransactionRollsBackUnlessCommitted) {
  auto db = open_items(2);
  {
    auto conn = db->acquire();
    {
      db::Transaction tx(*conn, db::Transaction::kWrite);
      conn->execute("INSERT INTO items (id, n) VALUES (?, ?)", "x", 1);
    }
    EXPECT_TRUE(conn->query("SELECT n FROM items").empty());
    {
      db::Transaction tx(*conn, db::Transaction::kWrite);
      conn->execute("INSERT INTO items (id, n) VALUES (?, ?)", "x", 1);
      tx.commit();
    }
    {
      db::Transaction tx(*conn, db::Transaction::kRead);
      EXPECT_EQ(conn->query("SELECT n FROM items").first().int64(0), 1);
      tx.commit();
    }
  }
  // PostgreSQL: a lease returned in the middle of a transaction does not leak it to
  // the next user. (The SQLite backend pools such a connection as it is.)
  if (GetParam() != Backend::kPostgres) return;
  {
    auto conn = db->acquire();
    conn->begin_write();
    conn->execute("INSERT INTO items (id, n) VALUES (?, ?)", "leaked", 1);
  }
  {
    auto a = db->acquire();
    auto b = db->acquire();
    EXPECT_EQ(a->query("SELECT COUNT(*) FROM items").first().int64(0), 1);
    EXPECT_EQ(b->query("SELECT COUNT(*) FROM items").first().int64(0), 1);
  }
}

TEST_P(DbBackend, EightThreadsOfFiftyConditionalDecrementsNeverOversell) {
  auto db = open_items(8);
  db->acquire()->execute("INSERT INTO items (id, n) VALUES ('p', 100)");
  std::atomic<int> won{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        try {
          auto conn = db->acquire();
          db::Transaction tx(*conn, db::Transaction::kWrite);
          if (conn->execute("UPDATE items SET n = n - ? WHERE id = ? AND n >= ?", 1, "p", 1) == 1) ++won;
          tx.commit();
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(won.load(), 100);
  EXPECT_EQ(db->acquire()->query("SELECT n FROM items WHERE id = 'p'").first().int64(0), 0);
}

TEST_P(DbBackend, NullsBindAndReadBack) {
  auto db = open_items();
  auto conn = db->acquire();
  std::optional<std::string> none;
  std::optional<std::string> some = "there";
  conn->execute("INSERT INTO items (id, n, note) VALUES (?, ?, ?)", "a", 1, none);
  conn->execute("INSERT INTO items (id, n, note) VALUES (?, ?, ?)", "b", 2, some);
  conn->execute("INSERT INTO items (id, n, note) VALUES (?, ?, ?)", "c", 3, nullptr);
  auto r = conn->query("SELECT id, note FROM items ORDER BY id");
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_TRUE(r.rows[0].is_null(1));
  EXPECT_EQ(r.rows[0].opt_text(1), std::nullopt);
  EXPECT_EQ(r.rows[0].text(1), "");
  EXPECT_EQ(r.rows[1].opt_text(1), "there");
  EXPECT_TRUE(r.rows[2].is_null(1));
  EXPECT_EQ(conn->query("SELECT COUNT(*) FROM items WHERE note IS NULL").first().int64(0), 2);
  // An empty string is not NULL.
  conn->execute("INSERT INTO items (id, n, note) VALUES (?, ?, ?)", "d", 4, "");
  auto d = conn->query("SELECT note FROM items WHERE id = ?", "d");
  EXPECT_FALSE(d.first().is_null(0));
  EXPECT_EQ(d.first().text(0), "");
  // A NULL aggregate.
  auto m = conn->query("SELECT MAX(n) FROM items WHERE id = ?", "none");
  EXPECT_TRUE(m.first().is_null(0));
  EXPECT_EQ(m.first().opt_int64(0), std::nullopt);
}

TEST_P(DbBackend, LargeTextRoundTrips) {
  auto db = open_items();
  auto conn = db->acquire();
  std::string big;
  big.reserve(2 * 1024 * 1024);
  for (size_t i = 0; big.size() < 2 * 1024 * 1024; ++i) big += "line " + std::to_string(i) + " é€😀 '?' \"q\"\n";
  conn->execute("INSERT INTO items (id, n, note) VALUES (?, ?, ?)", "big", 1, big);
  auto r = conn->query("SELECT note, LENGTH(note) FROM items WHERE id = ?", "big");
  EXPECT_EQ(r.first().text(0), big);
  EXPECT_GT(r.first().int64(1), 1000000);
}

TEST_P(DbBackend, PingAndPoolReuse) {
  auto db = open_items(2);
  EXPECT_TRUE(db->ping());
  for (int i = 0; i < 20; ++i) {
    auto a = db->acquire();
    auto b = db->acquire();
    a->execute("INSERT INTO items (id, n) VALUES (?, ?)", "a" + std::to_string(i), i);
    b->execute("INSERT INTO items (id, n) VALUES (?, ?)", "b" + std::to_string(i), i);
  }
  EXPECT_EQ(db->acquire()->query("SELECT COUNT(*) FROM items").first().int64(0), 40);
  EXPECT_EQ(db->dialect(), GetParam() == Backend::kSqlite ? db::Dialect::kSqlite : db::Dialect::kPostgres);
}

namespace {
int64_t count_items(db::Database& db) { return db.acquire()->query("SELECT COUNT(*) FROM items").first().int64(0); }

/// A repository-style call: its own lease and, when asked, its own transaction.
void insert_item(db::Database& db, const std::string& id, bool in_transaction) {
  auto conn = db.acquire();
  if (!in_transaction) {
    conn->execute("INSERT INTO items (id, n) VALUES (?, 1)", id);
    return;
  }
  db::Transaction tx(*conn, db::Transaction::kWrite);
  conn->execute("INSERT INTO items (id, n) VALUES (?, 1)", id);
  tx.commit();
}
}  // namespace

TEST_P(DbBackend, SharedTransactionJoinsEveryCallOnThisThreadAndCommitsOnce) {
  auto db = open_items(2);
  {
    db::SharedTransaction unit(db.get());
    insert_item(*db, "a", false);
    insert_item(*db, "b", true);
    {
      db::SharedTransaction inner(db.get());  // joins too
      insert_item(*db, "c", true);
    }
    // Other threads see nothing yet (and a pool of two is not exhausted by the joins).
    std::thread other([&] { EXPECT_EQ(count_items(*db), 0); });
    other.join();
  }
  EXPECT_EQ(count_items(*db), 3);
}

TEST_P(DbBackend, SharedTransactionRollsBackWhenAnExceptionLeavesIt) {
  auto db = open_items();
  try {
    db::SharedTransaction unit(db.get());
    insert_item(*db, "a", true);
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(count_items(*db), 0);
  insert_item(*db, "after", true);  // the connection and (on SQLite) the writer are free again
  EXPECT_EQ(count_items(*db), 1);
}

TEST_P(DbBackend, AFailedCallInsideASharedTransactionUndoesOnlyItself) {
  auto db = open_items();
  {
    db::SharedTransaction unit(db.get());
    insert_item(*db, "a", true);
    EXPECT_THROW(insert_item(*db, "a", true), DbError);  // its savepoint is rolled back
    insert_item(*db, "b", true);                         // and the transaction goes on (PostgreSQL too)
  }
  EXPECT_EQ(count_items(*db), 2);
}

// PostgreSQL holds BEGIN, SAVEPOINT and RELEASE back and sends them with the next
// statement: transactions and savepoints with nothing in them, a rollback before any
// statement, and a statement failing right after a held-back SAVEPOINT must all leave
// the connection as they would without that.
TEST_P(DbBackend, HeldBackTransactionCommandsKeepTheirMeaning) {
  auto db = open_items(1);  // one connection: whatever one case leaves behind, the next one meets
  {
    auto conn = db->acquire();
    db::Transaction empty(*conn, db::Transaction::kWrite);
    {
      db::Transaction nested(*conn, db::Transaction::kWrite);
      nested.commit();
    }
    empty.commit();
  }
  {
    auto conn = db->acquire();
    db::Transaction read(*conn, db::Transaction::kRead);
    read.commit();
  }
  {
    auto conn = db->acquire();
    db::Transaction abandoned(*conn, db::Transaction::kWrite);  // rolled back before any statement
  }
  {
    db::SharedTransaction unit(db.get());
    insert_item(*db, "a", true);
    {
      auto conn = db->acquire();
      db::Transaction nested(*conn, db::Transaction::kWrite);
      EXPECT_THROW(conn->execute("INSERT INTO no_such_table (id) VALUES (1)"), DbError);  // fails to prepare
    }
    insert_item(*db, "b", true);
  }
  EXPECT_EQ(count_items(*db), 2);
  {
    auto conn = db->acquire();
    db::Transaction tx(*conn, db::Transaction::kWrite);
    conn->execute("INSERT INTO items (id, n) VALUES ('c', 1)");
  }  // rolled back
  EXPECT_EQ(count_items(*db), 2);
}

TEST_P(DbBackend, NoDatabaseMeansNoSharedTransaction) {
  auto db = open_items();
  db::SharedTransaction unit(nullptr);
  insert_item(*db, "a", true);
  std::thread other([&] { EXPECT_EQ(count_items(*db), 1); });  // committed on its own
  other.join();
}

INSTANTIATE_TEST_SUITE_P(Backends, DbBackend, ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

// PostgreSQL only: an unreachable server is kUnavailable, and the pool recovers.
TEST(PostgresBackend, UnreachableServerIsUnavailable) {
  auto db = db::open_database({"postgresql://postgres@127.0.0.1:1/nothing?connect_timeout=2", "", 2, "NORMAL"});
  EXPECT_FALSE(db->ping());
  try {
    db->acquire();
    FAIL() << "no error";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind, DbError::Kind::kUnavailable);
  }
}

TEST(PostgresBackend, KilledConnectionsAreDroppedAndTheNextAcquireReconnects) {
  auto url = cloudretail::testing::fresh_pg_database();
  if (!url) GTEST_SKIP() << "no test PostgreSQL";
  auto db = db::open_database({*url, "", 3, "NORMAL"});
  auto admin = db::open_database({*url, "", 1, "NORMAL"});
  db::apply_migrations(*db, {{"t", 1, "CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT)"}});
  {  // open all three pooled connections
    auto a = db->acquire();
    auto b = db->acquire();
    auto c = db->acquire();
    a->execute("INSERT INTO kv VALUES ('x', 1)");
  }
  // What a server restart does to idle connections.
  auto killed = admin->acquire()->query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
      "AND pid <> pg_backend_pid()");
  EXPECT_EQ(killed.rows.size(), 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(db->ping());
  EXPECT_EQ(db->acquire()->query("SELECT v FROM kv WHERE k = ?", "x").first().int64(0), 1);

  // A connection killed while leased fails with kUnavailable and is not pooled again.
  {
    auto conn = db->acquire();
    auto pid = conn->query("SELECT pg_backend_pid()").first().int64(0);
    admin->acquire()->query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", pid);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    try {
      conn->query("SELECT v FROM kv WHERE k = ?", "x");
      FAIL() << "no error";
    } catch (const DbError& e) {
      EXPECT_EQ(e.kind, DbError::Kind::kUnavailable) << e.what();
    }
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(db->acquire()->query("SELECT v FROM kv").first().int64(0), 1);
}
