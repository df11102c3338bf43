#pragma once
/// A fresh, empty database of either backend for one test, made in one place rather
/// than copied into every suite: SQLite in a new temporary directory, or a new
/// database on the throwaway PostgreSQL cluster of the `pg` tests (pg_cluster.hpp).
#include <memory>
#include <ostream>
#include <string>

#include "db/database.hpp"

namespace cloudretail::testing {

enum class Backend { kSqlite, kPostgres };

/// How gtest prints a Backend parameter, and the instance names suites use:
/// "Sqlite" / "Postgres" (ctest picks the `pg` tests by those names).
std::string backend_name(Backend backend);
void PrintTo(Backend backend, std::ostream* os);

/// What a test says when it skips for want of a test PostgreSQL.
inline constexpr const char* kNoTestPostgres = "no test PostgreSQL (CLOUDRETAIL_TEST_PG_URL[_FILE] unset)";

/// A new, empty temporary directory (mkdtemp: never one a crashed run left behind).
std::string make_temp_dir(const std::string& prefix = "cloudretail-test-");

/// A fresh temporary directory, removed with this object (with whatever the test put
/// there), and a fresh empty database: SQLite at `<dir>/t.db`, or a new PostgreSQL
/// database. On PostgreSQL without a configured cluster, available() is false and the
/// test should skip with kNoTestPostgres.
class FreshDatabase {
 public:
  explicit FreshDatabase(Backend backend = Backend::kSqlite, const std::string& prefix = "cr-test-");
  ~FreshDatabase();
  FreshDatabase(const FreshDatabase&) = delete;
  FreshDatabase& operator=(const FreshDatabase&) = delete;

  bool available() const { return backend_ == Backend::kSqlite || !url_.empty(); }
  Backend backend() const { return backend_; }
  const std::string& dir() const { return dir_; }
  std::string sqlite_path() const { return dir_ + "/t.db"; }
  const std::string& url() const { return url_; }  // empty on SQLite

  /// Opens a pool on it (call again for a second pool on the same database).
  std::unique_ptr<db::Database> open(int pool = 4, const std::string& sqlite_synchronous = "NORMAL") const;

 private:
  Backend backend_;
  std::string dir_;
  std::string url_;
};

}  // namespace cloudretail::testing
