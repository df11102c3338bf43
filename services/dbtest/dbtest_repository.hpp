#pragma once
#include <optional>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "dbtest/dbtest_service.hpp"

namespace cloudretail::dbtest {

/// The diagnostics table: one row per probe id, overwritten in place.
class DbTestRepository {
 public:
  explicit DbTestRepository(db::Database& db) : db_(db) {}
  void upsert(const DemoRecord& record);
  std::optional<DemoRecord> find(const std::string& id);

  static std::vector<db::Migration> migrations();

 private:
  db::Database& db_;
};

}  // namespace cloudretail::dbtest
