#pragma once
/// Versioned schema migrations, one list per service (each service owns its
/// tables). Applied at start and by `cloudretail migrate`, under a lock so that
/// several processes starting at once on a fresh database apply each one once.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace cloudretail::db {

/// One migration as the runner applies it: (service, version) is what
/// schema_migrations records, so neither may change once released.
struct Migration {
  std::string service;  // owner, e.g. "product"
  int version = 0;      // 1, 2, ... within the service
  std::string sql;      // the statements, for the backend the list was built for
};

/// One file of services/<name>/migrations/, compiled into the binary by
/// cloudretail_service_migrations (libs/db/migrations.cmake):
///   NNN_what.sql           runs on both backends (the usual case: TEXT, BIGINT, INTEGER);
///   NNN_what.sqlite.sql    the two halves of one migration whose SQL must differ
///   NNN_what.postgres.sql  (e.g. full-text search: FTS5 against tsvector).
/// A pair of files rather than a shared file plus an override: each file says which
/// backend runs it, and the build fails when one half of a pair is missing.
struct MigrationFile {
  std::string_view file;        // e.g. "003_search.postgres.sql"
  int version = 0;              // NNN
  std::optional<Dialect> only;  // nullopt: both backends
  std::string_view sql;
};

/// The migrations among `files` that run on `dialect`, as `service`'s, in version order.
std::vector<Migration> migrations_for(std::string_view service, std::span<const MigrationFile> files, Dialect dialect);

/// Applies every migration not yet recorded in schema_migrations, in order.
/// Returns how many were applied. Throws DbError on failure (nothing half-applied:
/// each migration runs in the same transaction as its bookkeeping row).
int apply_migrations(Database& db, const std::vector<Migration>& migrations);

}  // namespace cloudretail::db
