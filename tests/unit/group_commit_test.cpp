// Group commit on SQLite (db/group_commit.hpp): concurrent write transactions share
// a COMMIT, a failing one rolls back only itself, writes outside a transaction go the
// same way, and the counters say so.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"

using namespace cloudretail;
using namespace std::chrono_literals;

namespace {
std::unique_ptr<db::Database> fresh_db(const char* synchronous = "FULL") {
  // A new directory each time (mkdtemp): a reused name once found an old file.
  auto dir = cloudretail::testing::make_temp_dir("cr-gc-");
  auto db = db::open_database({"", dir + "/t.db", 8, synchronous});
  db::apply_migrations(*db, {{"t", 1, "CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL)"}});
  return db;
}

int64_t count_rows(db::Database& db) { return db.acquire()->query("SELECT COUNT(*) FROM kv").first().int64(0); }

/// Waits (bounded) until `n` writers are queued for the writer connection.
bool wait_for_writer_waits(db::Database& db, uint64_t n) {
  for (int i = 0; i < 2000 && db.stats().writer_waits < n; ++i) std::this_thread::sleep_for(5ms);
  return db.stats().writer_waits >= n;
}
}  // namespace

TEST(GroupCommit, ConcurrentWritersShareCommits) {
  auto db = fresh_db();
  const auto before = db->stats();
  constexpr int kThreads = 8, kEach = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto conn = db->acquire();
        db::Transaction tx(*conn, db::Transaction::kWrite);
        conn->execute("INSERT INTO kv (k, v) VALUES (?, ?)", std::to_string(t) + ":" + std::to_string(i), i);
        tx.commit();
      }
    });
  for (auto& t : threads) t.join();
  const auto after = db->stats();
  EXPECT_EQ(count_rows(*db), kThreads * kEach);
  EXPECT_EQ(after.transactions_committed - before.transactions_committed, uint64_t{kThreads * kEach});
  // Eight writers queue behind each fsync, so some batch carried more than one of them.
  EXPECT_LT(after.batches_committed - before.batches_committed, uint64_t{kThreads * kEach});
  EXPECT_GT(after.max_batch_transactions, 1u);
  EXPECT_EQ(after.batches_failed, 0u);
}

TEST(GroupCommit, AFailingTransactionRollsBackOnlyItsOwnSavepoint) {
  auto db = fresh_db();
  db->acquire()->execute("INSERT INTO kv (k, v) VALUES ('taken', 0)");
  const auto before = db->stats();

  // The first writer holds the writer while two more queue behind it; the middle one
  // fails on a duplicate key after writing a row of its own, in the batch that the
  // last one then commits (unless the machine is slow enough to hit the age bound).
  auto first = db->acquire();
  auto first_tx = std::make_unique<db::Transaction>(*first, db::Transaction::kWrite);
  first->execute("INSERT INTO kv (k, v) VALUES ('a', 1)");

  std::atomic<bool> failed_as_unique{false};
  std::thread failing([&] {
    auto conn = db->acquire();
    try {
      db::Transaction tx(*conn, db::Transaction::kWrite);
      conn->execute("INSERT INTO kv (k, v) VALUES ('b', 2)");
      conn->execute("INSERT INTO kv (k, v) VALUES ('taken', 2)");
      tx.commit();
    } catch (const db::DbError& e) {
      failed_as_unique = e.kind == db::DbError::Kind::kUniqueViolation;
    }
  });
  ASSERT_TRUE(wait_for_writer_waits(*db, before.writer_waits + 1));
  std::thread last([&] {
    auto conn = db->acquire();
    db::Transaction tx(*conn, db::Transaction::kWrite);
    conn->execute("INSERT INTO kv (k, v) VALUES ('c', 3)");
    tx.commit();
  });
  ASSERT_TRUE(wait_for_writer_waits(*db, before.writer_waits + 2));
  first_tx->commit();
  failing.join();
  last.join();
  first_tx.reset();

  EXPECT_TRUE(failed_as_unique);
  auto conn = db->acquire();
  EXPECT_EQ(conn->query("SELECT v FROM kv WHERE k = 'a'").first().int64(0), 1);
  EXPECT_TRUE(conn->query("SELECT v FROM kv WHERE k = 'b'").empty());
  EXPECT_EQ(conn->query("SELECT v FROM kv WHERE k = 'c'").first().int64(0), 3);
  EXPECT_EQ(conn->query("SELECT v FROM kv WHERE k = 'taken'").first().int64(0), 0);
  const auto after = db->stats();
  EXPECT_EQ(after.transactions_committed - before.transactions_committed, 2u);
  EXPECT_EQ(after.batches_failed, 0u);
}

TEST(GroupCommit, WritesOutsideATransactionAreGroupCommittedToo) {
  auto db = fresh_db();
  const auto before = db->stats();
  auto conn = db->acquire();
  EXPECT_EQ(conn->execute("INSERT INTO kv (k, v) VALUES ('x', 1)"), 1);
  EXPECT_EQ(conn->query("UPDATE kv SET v = v + 1 WHERE k = 'x' RETURNING v").first().int64(0), 2);
  EXPECT_THROW(conn->execute("INSERT INTO kv (k, v) VALUES ('x', 9)"), db::DbError);
  EXPECT_EQ(conn->execute("DELETE FROM kv WHERE k = 'nothing'"), 0);
  EXPECT_EQ(db->stats().transactions_committed - before.transactions_committed, 3u);
  // The failed insert left the writer usable and kept nothing.
  EXPECT_EQ(conn->query("SELECT v FROM kv WHERE k = 'x'").first().int64(0), 2);
}

TEST(GroupCommit, ReadersSeeABatchOnlyOnceItIsCommitted) {
  auto db = fresh_db();
  auto writer = db->acquire();
  auto tx = std::make_unique<db::Transaction>(*writer, db::Transaction::kWrite);
  writer->execute("INSERT INTO kv (k, v) VALUES ('w', 1)");
  EXPECT_EQ(count_rows(*db), 0);
  tx->commit();
  EXPECT_EQ(count_rows(*db), 1);
}

TEST(GroupCommit, ALeaseDroppedMidTransactionFreesTheWriter) {
  auto db = fresh_db();
  {
    auto conn = db->acquire();
    conn->begin_write();
    conn->execute("INSERT INTO kv (k, v) VALUES ('lost', 1)");
  }  // the pool rolls it back
  auto conn = db->acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  conn->execute("INSERT INTO kv (k, v) VALUES ('kept', 1)");
  tx.commit();
  EXPECT_EQ(count_rows(*db), 1);
}

TEST(GroupCommit, NormalModeGroupsTheSameWay) {
  auto db = fresh_db("NORMAL");
  auto conn = db->acquire();
  conn->execute("INSERT INTO kv (k, v) VALUES ('n', 1)");
  EXPECT_EQ(db->stats().batches_committed, 2u);  // the migration and this insert
}

TEST(ConnectionPool, ACapacityBelowOneStillServesOneConnection) {
  cloudretail::testing::FreshDatabase fresh(cloudretail::testing::Backend::kSqlite, "cr-pool-");
  auto db = fresh.open(0, "FULL");
  { auto a = db->acquire(); }
  std::atomic<bool> second_got_it{false};
  auto held = std::make_unique<db::Lease>(db->acquire());
  std::thread waiter([&] {
    auto b = db->acquire();
    second_got_it = true;
  });
  for (int i = 0; i < 2000 && db->stats().pool_waits == 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(db->stats().pool_waits, 1u);
  EXPECT_FALSE(second_got_it);
  held.reset();
  waiter.join();
  EXPECT_TRUE(second_got_it);
  EXPECT_EQ(db->stats().pool_waits, 1u);
}
