#include "ops/sqlite_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "ops/data_lock.hpp"

namespace cloudretail::ops {

namespace fs = std::filesystem;

namespace {

Error failure(std::string message) { return make_error(ErrorCode::kInternal, std::move(message)); }

/// Owns one sqlite3 handle.
struct Handle {
  sqlite3* db = nullptr;
  ~Handle() { sqlite3_close_v2(db); }
  std::string message() const { return db ? sqlite3_errmsg(db) : "out of memory"; }
};

Status open_db(Handle& h, const std::string& path, int flags) {
  int rc = sqlite3_open_v2(path.c_str(), &h.db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return failure("cannot open " + path + ": " + h.message());
  sqlite3_busy_timeout(h.db, 10000);
  return ok_status();
}

Status exec(Handle& h, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(h.db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : h.message();
    sqlite3_free(err);
    return failure(sql + ": " + msg);
  }
  return ok_status();
}

/// Every row of the first column of `sql`, as text.
std::vector<std::string> column(Handle& h, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(h.db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    return {"cannot run " + sql + ": " + h.message()};
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    out.emplace_back(text ? text : "");
  }
  if (rc != SQLITE_DONE) out.push_back("error: " + h.message());
  sqlite3_finalize(stmt);
  return out;
}

/// Copies all of `src` into `dst` in one step: one read transaction on the
/// source, hence a snapshot. (Stepping in chunks would restart whenever a server
/// commits, and might never finish on a busy shop.)
Result<int64_t> copy_database(Handle& src, Handle& dst) {
  sqlite3_backup* backup = sqlite3_backup_init(dst.db, "main", src.db, "main");
  if (!backup) return failure("cannot start the copy: " + dst.message());
  int rc;
  for (int attempt = 0;; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= 100) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  int64_t pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return failure(std::string("copy failed: ") + sqlite3_errstr(rc));
  return pages;
}

Status fsync_path(const fs::path& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return failure("cannot open " + path.string() + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return failure("fsync " + path.string() + ": " + std::strerror(err));
  return ok_status();
}

fs::path parent_of(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

/// Writes a self-contained copy of the open database `src` to `tmp`: the online
/// copy, then rollback-journal mode (so the file needs no -wal beside it), a
/// quick check, closed and fsynced.
Result<int64_t> write_copy(Handle& src, const fs::path& tmp) {
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::remove(tmp.string() + "-journal", ec);
  Handle dst;
  if (auto s = open_db(dst, tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE); !s) return std::move(s).error();
  auto pages = copy_database(src, dst);
  if (!pages) return pages;
  if (auto s = exec(dst, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;"); !s) return std::move(s).error();
  auto check = column(dst, "PRAGMA quick_check");
  if (check.size() != 1 || check[0] != "ok")
    return failure("the copy fails quick_check: " + (check.empty() ? "" : check[0]));
  sqlite3_close_v2(dst.db);
  dst.db = nullptr;
  if (auto s = fsync_path(tmp, false); !s) return std::move(s).error();
  return pages;
}

int64_t since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Result<CopyReport> backup_sqlite(const std::string& database_path, const std::string& to) {
  auto t0 = std::chrono::steady_clock::now();
  if (!fs::exists(database_path)) return failure("no database at " + database_path);
  auto lock = DataLock::acquire(database_path, DataLock::Mode::kShared);
  if (!lock) {
    if (lock.error().code == ErrorCode::kConflict)
      return failure("a restore is running on " + database_path + "; try again when it ends");
    return std::move(lock).error();
  }
  Handle src;
  // Read-write (never created): reading a WAL database needs its -shm index.
  if (auto s = open_db(src, database_path, SQLITE_OPEN_READWRITE); !s) return std::move(s).error();

  const fs::path target = fs::absolute(to);
  const fs::path tmp = target.string() + ".tmp-" + std::to_string(::getpid());
  auto pages = write_copy(src, tmp);
  if (!pages) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return std::move(pages).error();
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) return failure("cannot rename " + tmp.string() + " to " + target.string() + ": " + ec.message());
  if (auto s = fsync_path(parent_of(target), true); !s) return std::move(s).error();
  return CopyReport{static_cast<int64_t>(fs::file_size(target)), *pages, since(t0)};
}

Result<CopyReport> restore_sqlite(const std::string& from, const std::string& database_path) {
  auto t0 = std::chrono::steady_clock::now();
  if (!fs::is_regular_file(from)) return failure("no backup file at " + from);
  Handle src;
  if (auto s = open_db(src, from, SQLITE_OPEN_READONLY); !s) return std::move(s).error();
  auto check = column(src, "PRAGMA integrity_check");
  if (check.size() != 1 || check[0] != "ok")
    return failure(from + " fails PRAGMA integrity_check: " + (check.empty() ? "no answer" : check[0]));
  auto schema = column(src, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'");
  if (schema.size() != 1 || schema[0] != "1")
    return failure(from + " is not a CloudRetail database (no schema_migrations)");

  const fs::path db = fs::absolute(database_path);
  std::error_code ec;
  fs::create_directories(parent_of(db), ec);
  if (ec) return failure("cannot create " + parent_of(db).string() + ": " + ec.message());
  auto lock = DataLock::acquire(db, DataLock::Mode::kExclusive);
  if (!lock) {
    if (lock.error().code == ErrorCode::kConflict)
      return failure("refusing to restore: a CloudRetail process (server, migrate, seed or backup) has " + db.string() +
                     " open; stop it first (e.g. systemctl stop cloudretail)");
    return std::move(lock).error();
  }

  const fs::path tmp = db.string() + ".restore-tmp";
  auto pages = write_copy(src, tmp);
  if (!pages) {
    fs::remove(tmp, ec);
    return std::move(pages).error();
  }
  // Keep the database being replaced, with its WAL (it may hold commits not yet
  // checkpointed), and take that WAL away before the new file arrives: SQLite
  // would otherwise replay the old database's frames onto the restored one.
  const std::string old = db.string() + ".pre-restore";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(old + suffix, ec);
  if (fs::exists(db)) {
    fs::create_hard_link(db, old, ec);
    if (ec) fs::copy_file(db, old, ec);
    if (ec) return failure("cannot keep the old database as " + old + ": " + ec.message());
  }
  if (fs::exists(db.string() + "-wal")) {
    fs::rename(db.string() + "-wal", old + "-wal", ec);
    if (ec) return failure("cannot move the old WAL aside: " + ec.message());
  }
  fs::remove(db.string() + "-shm", ec);
  fs::remove(db.string() + "-journal", ec);
  fs::rename(tmp, db, ec);
  if (ec) return failure("cannot rename " + tmp.string() + " to " + db.string() + ": " + ec.message());
  if (auto s = fsync_path(parent_of(db), true); !s) return std::move(s).error();
  return CopyReport{static_cast<int64_t>(fs::file_size(db)), *pages, since(t0)};
}

}  // namespace cloudretail::ops
