#pragma once
/// One raw SQLite connection: opening with the pragmas CloudRetail relies on, running
/// statements from a per-connection cache. No pooling, no locking: its owner decides.
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "db/database.hpp"

namespace cloudretail::db {

DbError sqlite_error(sqlite3* db, int rc);

class SqliteHandle {
 public:
  SqliteHandle(const std::string& path, const std::string& synchronous);
  ~SqliteHandle();
  SqliteHandle(const SqliteHandle&) = delete;
  SqliteHandle& operator=(const SqliteHandle&) = delete;

  QueryResult run(std::string_view sql, std::span<const Param> params);
  /// Several statements without parameters, or one uncached one (BEGIN, SAVEPOINT …).
  void run_script(std::string_view sql);
  /// True when no transaction is open (SQLite may have rolled one back on its own).
  bool autocommit() const { return sqlite3_get_autocommit(db_) != 0; }
  sqlite3* raw() const { return db_; }

 private:
  sqlite3_stmt* prepare(std::string_view sql);

  sqlite3* db_ = nullptr;
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
};

}  // namespace cloudretail::db
