#pragma once
/// Versioned schema migrations, one list per service (each service owns its
/// tables). Applied at start and by `cloudretail migrate`, under a lock so that
/// several processes starting at once on a fresh database apply each one once.
#include <string>
#include <vector>

#include "db/database.hpp"

namespace cloudretail::db {

struct Migration {
  std::string service;        // owner, e.g. "product"
  int version = 0;            // 1, 2, ... within the service
  std::string sqlite_sql;     // statements for SQLite
  std::string postgres_sql;   // for PostgreSQL; empty = same as sqlite_sql
};

/// Applies every migration not yet recorded in schema_migrations, in order.
/// Returns how many were applied. Throws DbError on failure (nothing half-applied:
/// each migration runs in the same transaction as its bookkeeping row).
int apply_migrations(Database& db, const std::vector<Migration>& migrations);

}  // namespace cloudretail::db
