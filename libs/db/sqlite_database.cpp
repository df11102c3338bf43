#include "db/sqlite_database.hpp"

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace cloudretail::db {

namespace {

DbError sqlite_error(sqlite3* db, int rc) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
    return DbError(DbError::Kind::kUniqueViolation, msg);
  if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED) return DbError(DbError::Kind::kBusy, msg);
  if ((rc & 0xFF) == SQLITE_CANTOPEN || (rc & 0xFF) == SQLITE_IOERR || (rc & 0xFF) == SQLITE_NOTADB ||
      (rc & 0xFF) == SQLITE_READONLY)
    return DbError(DbError::Kind::kUnavailable, msg);
  return DbError(DbError::Kind::kOther, msg);
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, const std::string& synchronous, std::mutex& write_mutex)
      : write_mutex_(write_mutex) {
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      DbError err(DbError::Kind::kUnavailable, std::string("cannot open SQLite database: ") +
                                                   (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)));
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw err;
    }
    sqlite3_busy_timeout(db_, 5000);
    try {
      run_script("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=" + synchronous +
                 "; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-2048;");
    } catch (...) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw;
    }
  }

  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  QueryResult run(std::string_view sql, std::span<const Param> params) override {
    sqlite3_stmt* stmt = prepare(sql);
    // Reset even when a step throws, so the cached statement stays usable.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};

    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      int rc = std::visit(
          [&](const auto& p) -> int {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) return sqlite3_bind_null(stmt, idx);
            else if constexpr (std::is_same_v<T, int64_t>) return sqlite3_bind_int64(stmt, idx, p);
            else return sqlite3_bind_text(stmt, idx, p.data(), static_cast<int>(p.size()), SQLITE_STATIC);
          },
          params[i]);
      if (rc != SQLITE_OK) throw sqlite_error(db_, rc);
    }

    QueryResult result;
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw sqlite_error(db_, rc);
      std::vector<Value> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: values.emplace_back(nullptr); break;
          case SQLITE_INTEGER: values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c))); break;
          default: {
            auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            values.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
          }
        }
      }
      result.rows.emplace_back(std::move(values));
    }
    result.affected = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes(db_);
    return result;
  }

  void run_script(std::string_view sql) override {
    std::string copy(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : "sqlite error";
      sqlite3_free(err);
      throw DbError(DbError::Kind::kOther, msg);
    }
  }

  void begin_read() override { run("BEGIN", {}); }

  void begin_write() override {
    write_lock_ = std::unique_lock<std::mutex>(write_mutex_);
    try {
      run(cached_sql_begin_immediate_, {});
    } catch (...) {
      write_lock_ = {};
      throw;
    }
  }

  void commit() override {
    run("COMMIT", {});
    if (write_lock_.owns_lock()) write_lock_.unlock();
  }

  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    if (write_lock_.owns_lock()) write_lock_.unlock();
  }

 private:
  sqlite3_stmt* prepare(std::string_view sql) {
    auto it = statements_.find(sql);  // no string built to look a statement up
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt, nullptr);
    if (rc != SQLITE_OK) throw sqlite_error(db_, rc);
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  static constexpr std::string_view cached_sql_begin_immediate_ = "BEGIN IMMEDIATE";
  sqlite3* db_ = nullptr;
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
  std::mutex& write_mutex_;
  std::unique_lock<std::mutex> write_lock_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, int pool_size, std::string synchronous)
      : path_(std::move(path)), synchronous_(std::move(synchronous)), capacity_(pool_size) {}

  Dialect dialect() const override { return Dialect::kSqlite; }

  Lease acquire() override {
    std::unique_lock lock(mutex_);
    available_cv_.wait(lock, [&] { return !idle_.empty() || open_count_ < capacity_; });
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_count_;
    lock.unlock();
    try {
      return Lease(this, std::make_unique<SqliteConnection>(path_, synchronous_, write_mutex_));
    } catch (...) {
      lock.lock();
      --open_count_;
      available_cv_.notify_one();
      throw;
    }
  }

 protected:
  void release(std::unique_ptr<Connection> conn) noexcept override {
    // A lease dropped mid-transaction must not hand the next borrower an open
    // transaction (or this process's write lock).
    conn->rollback();
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(conn));
    }
    available_cv_.notify_one();
  }

 private:
  std::string path_, synchronous_;
  int capacity_;
  int open_count_ = 0;
  std::mutex mutex_;
  std::condition_variable available_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::mutex write_mutex_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, int pool_size, const std::string& synchronous) {
  return std::make_unique<SqliteDatabase>(path, pool_size, synchronous);
}

}  // namespace cloudretail::db
