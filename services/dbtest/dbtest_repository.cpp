#include "dbtest/dbtest_repository.hpp"

namespace cloudretail::dbtest {

std::vector<db::Migration> DbTestRepository::migrations(db::Dialect dialect) {
  return db::migrations_for("dbtest", migration_files(), dialect);
}

void DbTestRepository::upsert(const DemoRecord& r) {
  auto conn = db_.acquire();
  conn->execute(
      "INSERT INTO diagnostics (id, name, category, price_minor, currency, created_at) VALUES (?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category,"
      " price_minor = excluded.price_minor, currency = excluded.currency, created_at = excluded.created_at",
      r.product_id, r.name, r.category, r.price_minor, r.currency, r.created_at_ms);
}

std::optional<DemoRecord> DbTestRepository::find(const std::string& id) {
  auto conn = db_.acquire();
  auto rows =
      conn->query("SELECT id, name, category, price_minor, currency, created_at FROM diagnostics WHERE id = ?", id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows.first();
  return DemoRecord{row.text(0), row.text(1), row.text(2), row.text(4), row.int64(3), row.int64(5)};
}

}  // namespace cloudretail::dbtest
