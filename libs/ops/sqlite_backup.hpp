#pragma once
/// `cloudretail backup` and `cloudretail restore` for the embedded SQLite
/// database. Both write a new file beside the target, fsync it and rename it
/// into place, so a crash leaves either the old file or the new one, never half.
#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace cloudretail::ops {

struct CopyReport {
  int64_t bytes = 0;
  int64_t pages = 0;
  int64_t milliseconds = 0;
};

/// A consistent copy of the live database at `database_path` into `to` while
/// servers keep writing: one read transaction (a WAL snapshot) through SQLite's
/// online backup API, so writers are never blocked. The copy is a self-contained
/// file (rollback journal mode, no -wal beside it). Holds the shared DataLock.
Result<CopyReport> backup_sqlite(const std::string& database_path, const std::string& to);

/// Replaces the database at `database_path` with the backup `from`: refuses a
/// file that fails `PRAGMA integrity_check` or has no CloudRetail schema, and
/// refuses while any process holds the database (exclusive DataLock). The old
/// database, if any, is kept as "<database>.pre-restore" (with its -wal).
Result<CopyReport> restore_sqlite(const std::string& from, const std::string& database_path);

}  // namespace cloudretail::ops
