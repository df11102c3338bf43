#include "db/sqlite_database.hpp"

#include <cctype>

#include "db/connection_pool.hpp"
#include "db/group_commit.hpp"
#include "db/sqlite_handle.hpp"

namespace cloudretail::db {

namespace {

/// INSERT, UPDATE, DELETE and REPLACE change rows; run outside a transaction they go
/// through group commit like any write transaction. Other statements (PRAGMA, VACUUM,
/// DDL) keep running on the pooled connection, where SQLite commits them itself.
bool changes_rows(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  auto starts = [&](std::string_view word) {
    if (sql.size() - i < word.size()) return false;
    for (size_t k = 0; k < word.size(); ++k)
      if (std::toupper(static_cast<unsigned char>(sql[i + k])) != word[k]) return false;
    return true;
  };
  return starts("INSERT") || starts("UPDATE") || starts("DELETE") || starts("REPLACE");
}

/// A pooled connection: reads run on its own SQLite connection, write transactions
/// on the process's one writer through group commit.
class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, const std::string& synchronous, GroupCommit& group)
      : reader_(path, synchronous), group_(group) {}

  QueryResult run(std::string_view sql, std::span<const Param> params) override {
    if (writer_) return writer_->run(sql, params);
    if (reader_.autocommit() && changes_rows(sql)) {
      begin_write();
      try {
        QueryResult result = writer_->run(sql, params);
        commit();
        return result;
      } catch (...) {
        rollback();
        throw;
      }
    }
    return reader_.run(sql, params);
  }

  void run_script(std::string_view sql) override {
    if (writer_) return writer_->run_script(sql);
    reader_.run_script(sql);
  }

  void begin_read() override { reader_.run_script("BEGIN"); }

  void begin_write() override { writer_ = &group_.begin(); }

  void commit() override {
    if (!writer_) {
      reader_.run_script("COMMIT");
      return;
    }
    writer_ = nullptr;  // whatever happens next, this transaction is over
    group_.commit();
  }

  void rollback() noexcept override {
    if (writer_) {
      writer_ = nullptr;
      group_.rollback();
    }
    if (!reader_.autocommit()) {
      try {
        reader_.run_script("ROLLBACK");
      } catch (...) {
      }
    }
  }

 private:
  SqliteHandle reader_;
  GroupCommit& group_;
  SqliteHandle* writer_ = nullptr;  // set while a write transaction is open
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, int pool_size, std::string synchronous)
      : group_(path, synchronous),
        pool_(pool_size, {.open = [this, path, synchronous]() -> std::unique_ptr<Connection> {
                return std::make_unique<SqliteConnection>(path, synchronous, group_);
              }}) {}

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::unique_ptr<Connection> take() override { return pool_.take(); }

  DbStats stats() const override {
    DbStats out;
    out.pool_waits = pool_.waits();
    out.pool_wait_us = pool_.wait_us();
    group_.add_stats(out);
    return out;
  }

 protected:
  void release(std::unique_ptr<Connection> conn) noexcept override { pool_.give_back(std::move(conn)); }

 private:
  GroupCommit group_;  // declared first: pooled connections refer to it
  ConnectionPool pool_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, int pool_size, const std::string& synchronous) {
  return std::make_unique<SqliteDatabase>(path, pool_size, synchronous);
}

}  // namespace cloudretail::db
