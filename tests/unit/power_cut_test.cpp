// Power-cut test for SQLite group commit: concurrent writers, the power cut at a random
// moment by a VFS that drops every write made after the last sync (crash_vfs.hpp), the
// database reopened, and then: every acknowledged transaction is there, no transaction
// is there in part, and PRAGMA integrity_check says ok. Repeated many times.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "crash_vfs.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"

using namespace cloudretail;
using namespace std::chrono_literals;

namespace {

constexpr int kWriters = 6;
constexpr int kPartsPerOrder = 3;

const std::vector<db::Migration> kSchema{
    {"t", 1,
     "CREATE TABLE parts (tx TEXT NOT NULL, part INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (tx, part));"
     "CREATE TABLE totals (k TEXT PRIMARY KEY, n BIGINT NOT NULL);"
     "INSERT INTO totals VALUES ('parts', 0);"
     "CREATE TABLE singles (tx TEXT PRIMARY KEY)"}};

/// What the writers were told: committed (acknowledged) or not.
struct Outcome {
  std::mutex mutex;
  std::set<std::string> acknowledged_multi, acknowledged_single, doomed;
};

/// Until the power goes, writes a mix: three-part transactions that also bump a total,
/// single autocommitted inserts, and transactions that fail half-way on purpose.
void write_until_failure(db::Database& db, int writer, int round, Outcome& out, std::atomic<bool>& stop) {
  std::mt19937 rng(static_cast<unsigned>(writer * 7919 + round));
  const std::string payload(200 + rng() % 400, static_cast<char>('a' + writer));
  for (int seq = 0; !stop; ++seq) {
    const std::string id = std::to_string(round) + "-" + std::to_string(writer) + "-" + std::to_string(seq);
    const int kind = static_cast<int>(rng() % 10);
    try {
      auto conn = db.acquire();
      if (kind == 0) {
        conn->execute("INSERT INTO singles (tx) VALUES (?)", id);
        std::lock_guard lock(out.mutex);
        out.acknowledged_single.insert(id);
        continue;
      }
      db::Transaction tx(*conn, db::Transaction::kWrite);
      for (int part = 0; part < kPartsPerOrder; ++part)
        conn->execute("INSERT INTO parts (tx, part, payload) VALUES (?, ?, ?)", id, part, payload);
      conn->execute("UPDATE totals SET n = n + ? WHERE k = 'parts'", kPartsPerOrder);
      if (kind == 1) {
        {
          std::lock_guard lock(out.mutex);
          out.doomed.insert(id);
        }
        conn->execute("INSERT INTO parts (tx, part, payload) VALUES (?, 0, 'duplicate')", id);  // throws
      }
      tx.commit();
      std::lock_guard lock(out.mutex);
      out.acknowledged_multi.insert(id);
    } catch (const db::DbError& e) {
      if (e.kind == db::DbError::Kind::kUniqueViolation) continue;  // the doomed ones
      return;                                                       // the power is off: nothing more gets written
    }
  }
}

struct Check {
  std::string integrity;
  std::map<std::string, int64_t> parts_per_tx;
  int64_t total = 0, part_rows = 0;
  std::set<std::string> singles;
};

Check inspect(const std::string& path) {
  auto db = db::open_database({"", path, 2, "FULL"});
  auto conn = db->acquire();
  Check c;
  c.integrity = conn->query("PRAGMA integrity_check").first().text(0);
  for (const auto& r : conn->query("SELECT tx, COUNT(*) FROM parts GROUP BY tx").rows)
    c.parts_per_tx[r.text(0)] = r.int64(1);
  c.part_rows = conn->query("SELECT COUNT(*) FROM parts").first().int64(0);
  c.total = conn->query("SELECT n FROM totals WHERE k = 'parts'").first().int64(0);
  for (const auto& r : conn->query("SELECT tx FROM singles").rows) c.singles.insert(r.text(0));
  return c;
}

struct RoundResult {
  int lost_acknowledged = 0;
  uint64_t dropped_writes = 0;
  size_t acknowledged = 0;
};

/// One life of the database: writers run, the power is cut after `run_for`, the
/// machine "reboots" and the file is checked. Fails the test on any broken promise
/// except lost acknowledged transactions, which it counts (the NORMAL control needs that).
RoundResult live_and_crash(const std::string& path, const std::string& synchronous, int round,
                           std::chrono::microseconds run_for, test_support::CrashVfs& vfs) {
  Outcome out;
  RoundResult result;
  {
    auto db = db::open_database({"", path, 4, synchronous});
    db::apply_migrations(*db, kSchema);
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w)
      writers.emplace_back(write_until_failure, std::ref(*db), w, round, std::ref(out), std::ref(stop));
    std::this_thread::sleep_for(run_for);
    vfs.cut_power();
    stop = true;
    for (auto& t : writers) t.join();
  }  // every connection closed, with the power still off
  result.dropped_writes = vfs.reboot();

  const Check c = inspect(path);
  EXPECT_EQ(c.integrity, "ok") << "round " << round;
  // No transaction is there in part: all three rows and the total move together.
  for (const auto& [tx, n] : c.parts_per_tx) EXPECT_EQ(n, kPartsPerOrder) << "half a transaction: " << tx;
  EXPECT_EQ(c.total, c.part_rows) << "round " << round;
  for (const auto& id : out.doomed) EXPECT_EQ(c.parts_per_tx.count(id), 0u) << "a failed transaction was kept";
  for (const auto& id : out.acknowledged_multi) result.lost_acknowledged += c.parts_per_tx.count(id) == 0;
  for (const auto& id : out.acknowledged_single) result.lost_acknowledged += c.singles.count(id) == 0;
  result.acknowledged = out.acknowledged_multi.size() + out.acknowledged_single.size();
  return result;
}

std::string fresh_path(const char* name) {
  return cloudretail::testing::make_temp_dir(std::string("cr-powercut-") + name + "-") + "/shop.db";
}

}  // namespace

TEST(PowerCut, FullKeepsEveryAcknowledgedTransactionThroughManyCrashes) {
  auto& vfs = test_support::CrashVfs::install();
  const std::string path = fresh_path("full");
  std::mt19937 rng(20261130);
  constexpr int kRounds = 40;
  size_t acknowledged = 0;
  uint64_t dropped = 0;
  const auto deadline = std::chrono::steady_clock::now() + 40s;  // a loaded machine runs fewer rounds
  int rounds = 0;
  for (; rounds < kRounds && std::chrono::steady_clock::now() < deadline; ++rounds) {
    const auto run_for = std::chrono::microseconds(1000 + rng() % 60000);
    RoundResult r = live_and_crash(path, "FULL", rounds, run_for, vfs);
    EXPECT_EQ(r.lost_acknowledged, 0) << "round " << rounds << ": acknowledged transactions lost";
    acknowledged += r.acknowledged;
    dropped += r.dropped_writes;
    if (HasFailure()) break;
  }
  // The test means something only if work was acknowledged and crashes destroyed writes.
  EXPECT_GE(rounds, 10);
  EXPECT_GT(acknowledged, 100u);
  EXPECT_GT(dropped, 0u) << "no crash ever lost an unsynced write";
  std::cout << rounds << " crashes, " << acknowledged << " acknowledged transactions kept, " << dropped
            << " unsynced writes dropped, " << vfs.syncs() << " syncs\n";
}

TEST(PowerCut, NormalLosesAcknowledgedTransactionsSoTheTestCanFail) {
  // The control: synchronous=NORMAL does not sync the WAL at commit, so a power cut
  // takes acknowledged transactions with it. Consistency still holds.
  auto& vfs = test_support::CrashVfs::install();
  const std::string path = fresh_path("normal");
  db::apply_migrations(*db::open_database({"", path, 1, "FULL"}), kSchema);  // the tables themselves survive
  int lost = 0;
  for (int round = 0; round < 5 && lost == 0; ++round)
    lost += live_and_crash(path, "NORMAL", round, 30ms, vfs).lost_acknowledged;
  EXPECT_GT(lost, 0);
}
