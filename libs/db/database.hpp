#pragma once
/// The storage interface every repository uses. SQL is written once with `?`
/// placeholders in the dialect both backends share (ON CONFLICT, RETURNING);
/// the PostgreSQL backend rewrites placeholders to $n. Statements are prepared
/// once per connection and cached by their text.
///
/// Rules that keep the pool deadlock-free:
///  - repositories take a connection for one call and give it back;
///  - never call another service's client while holding a connection or a
///    transaction (in-process peers take their own connection and, on SQLite,
///    the process's one writer connection).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cloudretail::db {

enum class Dialect { kSqlite, kPostgres };

/// A database failure. Repositories let it propagate: the server turns it into a
/// 500 (or 503 when the database is unreachable) without leaking the SQL.
struct DbError : std::runtime_error {
  enum class Kind { kUniqueViolation, kUnavailable, kBusy, kOther };
  DbError(Kind kind, const std::string& what) : std::runtime_error(what), kind(kind) {}
  Kind kind;
};

using Param = std::variant<std::nullptr_t, int64_t, std::string_view>;
using Value = std::variant<std::nullptr_t, int64_t, std::string>;

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool is_null(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  int64_t int64(size_t i) const;     // NULL -> 0
  std::string text(size_t i) const;  // NULL -> ""
  std::optional<std::string> opt_text(size_t i) const;
  std::optional<int64_t> opt_int64(size_t i) const;

 private:
  std::vector<Value> values_;
};

struct QueryResult {
  std::vector<Row> rows;
  int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
  const Row& first() const { return rows.at(0); }
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual QueryResult run(std::string_view sql, std::span<const Param> params) = 0;
  /// Several statements without parameters (migrations).
  virtual void run_script(std::string_view sql) = 0;
  /// One command without parameters or rows ("SAVEPOINT x", "RELEASE x") whose only
  /// possible news is an error: a backend may hold it back and send it with the next
  /// statement (PostgreSQL pipelines it, saving a round trip). Default: runs it now.
  virtual void run_deferrable(std::string_view sql) { run_script(sql); }
  virtual void begin_read() = 0;
  /// A write transaction. SQLite runs it on the process's one writer connection as a
  /// savepoint inside a group-commit batch (db/group_commit.hpp); an INSERT, UPDATE,
  /// DELETE or REPLACE run outside a transaction becomes one such transaction.
  virtual void begin_write() = 0;
  /// Returns once the transaction is on stable storage (under the configured
  /// synchronous mode); throws DbError when it was not kept.
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  template <typename... Args>
  QueryResult query(std::string_view sql, const Args&... args) {
    const Param params[] = {to_param(args)..., Param{nullptr}};
    return run(sql, std::span<const Param>(params, sizeof...(Args)));
  }
  template <typename... Args>
  int64_t execute(std::string_view sql, const Args&... args) {
    return query(sql, args...).affected;
  }

 private:
  static Param to_param(std::nullptr_t) { return nullptr; }
  static Param to_param(int64_t v) { return v; }
  static Param to_param(int v) { return static_cast<int64_t>(v); }
  static Param to_param(bool v) { return static_cast<int64_t>(v ? 1 : 0); }
  static Param to_param(std::string_view v) { return v; }
  static Param to_param(const std::string& v) { return std::string_view(v); }
  static Param to_param(const char* v) { return std::string_view(v); }
  template <typename T>
  static Param to_param(const std::optional<T>& v) {
    return v ? to_param(*v) : Param{nullptr};
  }
  friend class Transaction;
  int open_transactions_ = 0;  // Transactions open on it; more than one inside a SharedTransaction
};

class Database;

/// Counters a metrics endpoint can publish (monotonic totals since start).
/// The group-commit fields stay 0 on PostgreSQL, whose server groups commits itself.
struct DbStats {
  uint64_t pool_waits = 0;              // acquires that found every pooled connection busy
  uint64_t pool_wait_us = 0;            // total time those acquires waited
  uint64_t writer_waits = 0;            // SQLite write transactions that queued for the writer
  uint64_t batches_committed = 0;       // SQLite group commits (one fsync each under FULL)
  uint64_t transactions_committed = 0;  // write transactions acknowledged by those batches
  uint64_t batches_failed = 0;          // COMMITs that failed (every transaction in them failed)
  uint64_t max_batch_transactions = 0;  // the largest batch so far
  uint64_t commit_us = 0;               // total time inside batch COMMIT, the WAL fsync included under FULL
};

/// A connection borrowed from the pool; returned when it goes out of scope. Inside a
/// SharedTransaction it is the shared connection, which stays with its owner.
class Lease {
 public:
  Lease(Database* owner, std::unique_ptr<Connection> conn) : owner_(owner), conn_(std::move(conn)) {}
  explicit Lease(Connection& shared) : owner_(nullptr), shared_(&shared) {}
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection* operator->() { return conn_ ? conn_.get() : shared_; }
  Connection& operator*() { return *operator->(); }

 private:
  Database* owner_;
  std::unique_ptr<Connection> conn_;
  Connection* shared_ = nullptr;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  /// Blocks while every pooled connection is in use. Throws DbError(kUnavailable).
  /// Inside a SharedTransaction on this database: that transaction's connection.
  Lease acquire();
  /// True when a trivial query answers on a pooled connection (readiness probe).
  virtual bool ping() noexcept;
  /// Pool and group-commit counters; transactions per batch is
  /// transactions_committed / batches_committed.
  virtual DbStats stats() const = 0;

 protected:
  friend class Lease;
  virtual std::unique_ptr<Connection> take() = 0;
  virtual void release(std::unique_ptr<Connection> conn) noexcept = 0;
};

/// Rolls back unless committed. Use one per unit of work:
///   Transaction tx(conn, Transaction::kWrite); ...; tx.commit();
/// Inside a SharedTransaction a write Transaction is a savepoint of it (its rollback
/// undoes only its own work) and a read Transaction adds nothing.
class Transaction {
 public:
  enum Kind { kRead, kWrite };
  Transaction(Connection& conn, Kind kind);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& conn_;
  bool nested_ = false;
  std::string savepoint_;  // nested writes only
  bool done_ = false;
};

/// One write transaction for every repository call this thread makes on `db` while it
/// is in scope, in-process peers' calls included: they all get this transaction's
/// connection from acquire(). Committed when the scope is left normally (the
/// destructor throws DbError if that commit fails), rolled back when an exception
/// leaves it. With `db` null it does nothing: the peers are remote and commit their
/// own work. Call no remote peer inside one (it would wait on our locks).
class SharedTransaction {
 public:
  explicit SharedTransaction(Database* db);
  SharedTransaction(const SharedTransaction&) = delete;
  SharedTransaction& operator=(const SharedTransaction&) = delete;
  ~SharedTransaction() noexcept(false);

  struct Joined;  // what acquire() finds for this thread (database.cpp)

 private:
  Database* db_;
  std::unique_ptr<Lease> lease_;
  std::unique_ptr<Transaction> tx_;
  std::unique_ptr<Joined> joined_;
  int uncaught_ = 0;
};

/// Opens the database named by a URL: "" or sqlite:PATH for SQLite (WAL), or
/// postgresql://... for PostgreSQL.
struct OpenOptions {
  std::string url;          // DATABASE_URL
  std::string sqlite_path;  // used when url is empty or sqlite:
  int pool_size = 8;
  std::string sqlite_synchronous = "FULL";
};
std::unique_ptr<Database> open_database(const OpenOptions& options);

}  // namespace cloudretail::db
