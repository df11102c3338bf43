#pragma once
/// Group commit for SQLite: the write transactions of concurrent requests share one
/// COMMIT, and so one fsync under synchronous=FULL.
///
/// One writer connection holds an open batch (BEGIN IMMEDIATE). Each write
/// transaction takes the writer, runs as SAVEPOINT inside the batch, and on commit
/// releases its savepoint and waits until the batch holding it has committed (and,
/// with FULL, synced): only then is it acknowledged. The writer that finishes while
/// no other writer is waiting (or once the batch is kMaxBatchAge old, or holds
/// kMaxBatchTransactions) commits the batch; writers arriving meanwhile queue and form
/// the next one. A failing transaction rolls back only its savepoint; a failing
/// COMMIT fails every transaction of the batch, none of which was acknowledged yet.
/// Readers on other connections see a batch only once it is committed.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "db/database.hpp"
#include "db/sqlite_handle.hpp"

namespace cloudretail::db {

class GroupCommit {
 public:
  static constexpr std::chrono::microseconds kMaxBatchAge{2000};
  static constexpr int kMaxBatchTransactions = 256;

  GroupCommit(std::string path, std::string synchronous);
  ~GroupCommit();

  /// Waits for the writer, opens a savepoint in the current batch and returns the
  /// writer connection, which the caller alone uses until commit() or rollback().
  SqliteHandle& begin();
  /// Releases the savepoint and returns once its batch is durable; throws DbError
  /// when the batch failed (then nothing of this transaction was kept).
  void commit();
  /// Undoes this transaction's savepoint only and hands the writer on.
  void rollback() noexcept;

  void add_stats(DbStats& out) const;

 private:
  struct Batch {
    std::chrono::steady_clock::time_point started;
    int transactions = 0;
    bool done = false;
    std::string error;  // set when the batch did not commit
  };

  /// Called by the writer's holder when it is done with it: commits the batch when
  /// due, then hands the writer to the next waiter.
  void hand_on();
  void commit_batch(Batch& batch);

  const std::string path_, synchronous_;
  std::unique_ptr<SqliteHandle> writer_;  // only the holder touches it
  std::shared_ptr<Batch> batch_;          // the open batch; only the holder touches it

  mutable std::mutex mutex_;
  std::condition_variable writer_free_cv_, batch_done_cv_;
  bool busy_ = false;  // someone holds the writer
  int waiting_ = 0;    // writers queued for it
  DbStats stats_;      // group-commit fields only
};

}  // namespace cloudretail::db
