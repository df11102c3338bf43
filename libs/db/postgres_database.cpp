#include "db/postgres_database.hpp"

namespace cloudretail::db {

// Placeholder until the scale-out issue adds the libpq backend: a clear failure
// at start instead of a silent fallback to SQLite.
std::unique_ptr<Database> open_postgres(const std::string&, int) {
  throw DbError(DbError::Kind::kUnavailable, "the PostgreSQL backend is not available in this build");
}

}  // namespace cloudretail::db
