#pragma once
#include <optional>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "dbtest/dbtest_service.hpp"

namespace cloudretail::dbtest {

/// services/dbtest/migrations/*.sql, compiled in by cloudretail_service_migrations
/// (libs/db/migrations.cmake).
std::span<const db::MigrationFile> migration_files();

/// The diagnostics table: one row per probe id, overwritten in place.
class DbTestRepository {
 public:
  explicit DbTestRepository(db::Database& db) : db_(db) {}
  void upsert(const DemoRecord& record);
  std::optional<DemoRecord> find(const std::string& id);

  /// The dbtest tables for `dialect`: migrations/*.sql.
  static std::vector<db::Migration> migrations(db::Dialect dialect);

 private:
  db::Database& db_;
};

}  // namespace cloudretail::dbtest
