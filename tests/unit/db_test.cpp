#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"

using namespace cloudretail;

using cloudretail::testing::FreshDatabase;

TEST(Sqlite, MigrationsApplyOnceAndQueriesBind) {
  FreshDatabase fresh;
  auto db = fresh.open(4);
  std::vector<db::Migration> ms{{"t", 1, "CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL)"},
                                {"t", 2, "ALTER TABLE items ADD COLUMN note TEXT"}};
  EXPECT_EQ(db::apply_migrations(*db, ms), 2);
  EXPECT_EQ(db::apply_migrations(*db, ms), 0);

  auto conn = db->acquire();
  EXPECT_EQ(conn->execute("INSERT INTO items (id, n, note) VALUES (?, ?, ?)", "a", int64_t{5}, nullptr), 1);
  EXPECT_EQ(conn->execute("INSERT INTO items (id, n) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", "a", int64_t{9}), 0);
  auto rows =
      conn->query("UPDATE items SET n = n - ? WHERE id = ? AND n >= ? RETURNING n", int64_t{3}, "a", int64_t{3});
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(rows.first().int64(0), 2);
  rows = conn->query("UPDATE items SET n = n - ? WHERE id = ? AND n >= ? RETURNING n", int64_t{3}, "a", int64_t{3});
  EXPECT_TRUE(rows.empty());
  auto got = conn->query("SELECT id, n, note FROM items WHERE id = ?", std::string("a"));
  EXPECT_EQ(got.first().text(0), "a");
  EXPECT_TRUE(got.first().is_null(2));
  EXPECT_THROW(conn->execute("INSERT INTO items (id, n) VALUES (?, ?)", "a", int64_t{1}), db::DbError);
}

TEST(Sqlite, TransactionRollsBackUnlessCommitted) {
  FreshDatabase fresh;
  auto db = fresh.open(2);
  db::apply_migrations(*db, {{"t", 1, "CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT)"}});
  auto conn = db->acquire();
  {
    db::Transaction tx(*conn, db::Transaction::kWrite);
    conn->execute("INSERT INTO kv VALUES (?, ?)", "x", int64_t{1});
  }
  EXPECT_TRUE(conn->query("SELECT v FROM kv").empty());
  {
    db::Transaction tx(*conn, db::Transaction::kWrite);
    conn->execute("INSERT INTO kv VALUES (?, ?)", "x", int64_t{1});
    tx.commit();
  }
  EXPECT_EQ(conn->query("SELECT v FROM kv").first().int64(0), 1);
}

TEST(Sqlite, ConcurrentConditionalUpdatesNeverGoNegative) {
  FreshDatabase fresh;
  auto db = fresh.open(8);
  db::apply_migrations(*db, {{"t", 1, "CREATE TABLE stock (id TEXT PRIMARY KEY, n BIGINT NOT NULL)"}});
  db->acquire()->execute("INSERT INTO stock VALUES ('p', 100)");
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto conn = db->acquire();
        db::Transaction tx(*conn, db::Transaction::kWrite);
        if (conn->execute("UPDATE stock SET n = n - 1 WHERE id = 'p' AND n >= 1") == 1) ++won;
        tx.commit();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 100);
  EXPECT_EQ(db->acquire()->query("SELECT n FROM stock").first().int64(0), 0);
}

TEST(Sqlite, UnopenablePathIsReportedNotFatal) {
  auto db = db::open_database({"", "/nonexistent-dir/sub/x.db", 2, "NORMAL"});
  EXPECT_FALSE(db->ping());
  try {
    db->acquire();
    FAIL();
  } catch (const db::DbError& e) {
    EXPECT_EQ(e.kind, db::DbError::Kind::kUnavailable);
  }
}
