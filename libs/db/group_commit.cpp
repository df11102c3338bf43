#include "db/group_commit.hpp"

#include <algorithm>

namespace cloudretail::db {

namespace {
uint64_t micros_since(std::chrono::steady_clock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
}
}  // namespace

GroupCommit::GroupCommit(std::string path, std::string synchronous)
    : path_(std::move(path)), synchronous_(std::move(synchronous)) {}

GroupCommit::~GroupCommit() = default;

SqliteHandle& GroupCommit::begin() {
  {
    std::unique_lock lock(mutex_);
    if (busy_) {
      ++waiting_;
      ++stats_.writer_waits;
      writer_free_cv_.wait(lock, [&] { return !busy_; });
      --waiting_;
    }
    busy_ = true;
  }
  try {
    if (!writer_) writer_ = std::make_unique<SqliteHandle>(path_, synchronous_);
    if (!batch_) {
      // IMMEDIATE: take the write lock now (other processes on the file wait in the
      // busy timeout) instead of failing with SQLITE_BUSY when the first write upgrades.
      writer_->run_script("BEGIN IMMEDIATE");
      batch_ = std::make_shared<Batch>();
      batch_->started = std::chrono::steady_clock::now();
    }
    writer_->run_script("SAVEPOINT tx");
  } catch (...) {
    hand_on();
    throw;
  }
  return *writer_;
}

void GroupCommit::commit() {
  std::shared_ptr<Batch> batch = batch_;
  try {
    writer_->run_script("RELEASE tx");
  } catch (...) {
    rollback();
    throw;
  }
  ++batch->transactions;
  hand_on();
  std::unique_lock lock(mutex_);
  batch_done_cv_.wait(lock, [&] { return batch->done; });
  if (!batch->error.empty()) throw DbError(DbError::Kind::kUnavailable, "commit failed: " + batch->error);
}

void GroupCommit::rollback() noexcept {
  if (writer_ && !writer_->autocommit()) {
    try {
      writer_->run_script("ROLLBACK TO tx; RELEASE tx");
    } catch (...) {
      // The savepoint is gone with the whole batch: hand_on() sees autocommit and fails it.
    }
  }
  hand_on();
}

void GroupCommit::hand_on() {
  std::shared_ptr<Batch> to_commit;
  {
    std::lock_guard lock(mutex_);
    const bool due = batch_ && (waiting_ == 0 || batch_->transactions >= kMaxBatchTransactions ||
                                std::chrono::steady_clock::now() - batch_->started >= kMaxBatchAge);
    // SQLite ended the transaction itself (an I/O error, a full disk): the batch is gone.
    const bool lost = batch_ && writer_ && writer_->autocommit();
    if (due || lost) to_commit = std::move(batch_);
    if (!to_commit) {
      busy_ = false;
    }
  }
  if (!to_commit) {
    writer_free_cv_.notify_one();
    return;
  }
  // Still the holder: nobody else runs on the writer while it commits (and syncs).
  commit_batch(*to_commit);
  {
    std::lock_guard lock(mutex_);
    to_commit->done = true;
    busy_ = false;
  }
  batch_done_cv_.notify_all();
  writer_free_cv_.notify_one();
}

void GroupCommit::commit_batch(Batch& batch) {
  const auto start = std::chrono::steady_clock::now();
  std::string error;
  if (writer_->autocommit()) {
    error = "the transaction was rolled back by SQLite";
  } else {
    try {
      writer_->run_script("COMMIT");
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  if (!error.empty() && writer_ && !writer_->autocommit()) {
    try {
      writer_->run_script("ROLLBACK");
    } catch (...) {
    }
  }
  // A writer that cannot even roll back is opened afresh by the next begin().
  if (!error.empty() && !writer_->autocommit()) writer_.reset();

  std::lock_guard lock(mutex_);
  batch.error = error;
  if (batch.transactions == 0) return;  // only rolled-back savepoints: nothing to count
  if (error.empty()) {
    ++stats_.batches_committed;
    stats_.transactions_committed += static_cast<uint64_t>(batch.transactions);
    stats_.max_batch_transactions = std::max<uint64_t>(stats_.max_batch_transactions, batch.transactions);
  } else {
    ++stats_.batches_failed;
  }
  stats_.commit_us += micros_since(start);
}

void GroupCommit::add_stats(DbStats& out) const {
  std::lock_guard lock(mutex_);
  out.writer_waits = stats_.writer_waits;
  out.batches_committed = stats_.batches_committed;
  out.transactions_committed = stats_.transactions_committed;
  out.batches_failed = stats_.batches_failed;
  out.max_batch_transactions = stats_.max_batch_transactions;
  out.commit_us = stats_.commit_us;
}

}  // namespace cloudretail::db
