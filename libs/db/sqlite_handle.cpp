#include "db/sqlite_handle.hpp"

#include <chrono>
#include <thread>

namespace cloudretail::db {

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

SqliteHandle::SqliteHandle(const std::string& path, const std::string& synchronous) {
  int rc =
      sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    DbError err(DbError::Kind::kUnavailable,
                std::string("cannot open SQLite database: ") + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw err;
  }
  sqlite3_busy_timeout(db_, 5000);
  const std::string setup = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=" + synchronous +
                            "; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-2048;";
  for (int attempt = 1;; ++attempt) {
    try {
      run_script(setup);
      return;
    } catch (const DbError& e) {
      // Processes opening a new file at once race to switch it to WAL; SQLite answers
      // the loser SQLITE_BUSY at once (waiting could deadlock), so try again shortly.
      if (e.kind == DbError::Kind::kBusy && attempt < 50) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
        continue;
      }
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw;
    } catch (...) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw;
    }
  }
}

SqliteHandle::~SqliteHandle() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

QueryResult SqliteHandle::run(std::string_view sql, std::span<const Param> params) {
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
          if constexpr (std::is_same_v<T, std::nullptr_t>)
            return sqlite3_bind_null(stmt, idx);
          else if constexpr (std::is_same_v<T, int64_t>)
            return sqlite3_bind_int64(stmt, idx, p);
          else
            return sqlite3_bind_text(stmt, idx, p.data(), static_cast<int>(p.size()), SQLITE_STATIC);
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
        case SQLITE_NULL:
          values.emplace_back(nullptr);
          break;
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
          break;
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

void SqliteHandle::run_script(std::string_view sql) {
  std::string copy(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : "sqlite error";
    sqlite3_free(err);
    DbError classified = sqlite_error(db_, rc);
    throw DbError(classified.kind, msg);
  }
}

sqlite3_stmt* SqliteHandle::prepare(std::string_view sql) {
  auto it = statements_.find(sql);  // no string built to look a statement up
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) throw sqlite_error(db_, rc);
  statements_.emplace(std::string(sql), stmt);
  return stmt;
}

}  // namespace cloudretail::db
