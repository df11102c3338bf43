#include "db/migrations.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace cloudretail::db {

std::vector<Migration> migrations_for(std::string_view service, std::span<const MigrationFile> files, Dialect dialect) {
  std::vector<Migration> out;
  for (const auto& f : files)
    if (!f.only || *f.only == dialect) out.push_back({std::string(service), f.version, std::string(f.sql)});
  std::stable_sort(out.begin(), out.end(),
                   [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

int apply_migrations(Database& db, const std::vector<Migration>& migrations) {
  auto conn = db.acquire();
  const bool pg = db.dialect() == Dialect::kPostgres;
  // Take the lock first, then create the bookkeeping table inside the same
  // transaction: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a
  // concurrent twin (it can fail on the catalog's unique index).
  Transaction tx(*conn, Transaction::kWrite);
  if (pg) conn->query("SELECT pg_advisory_xact_lock(727274)");
  conn->run_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " service TEXT NOT NULL, version INTEGER NOT NULL, applied_at BIGINT NOT NULL,"
      " PRIMARY KEY (service, version))");

  std::set<std::pair<std::string, int64_t>> applied;
  for (const auto& row : conn->query("SELECT service, version FROM schema_migrations").rows)
    applied.emplace(row.text(0), row.int64(1));

  std::vector<const Migration*> pending;
  for (const auto& m : migrations)
    if (!applied.count({m.service, m.version})) pending.push_back(&m);
  std::stable_sort(pending.begin(), pending.end(),
                   [](const Migration* a, const Migration* b) { return a->version < b->version; });

  for (const Migration* m : pending) {
    conn->run_script(m->sql);
    conn->execute("INSERT INTO schema_migrations (service, version, applied_at) VALUES (?, ?, ?)", m->service,
                  static_cast<int64_t>(m->version), static_cast<int64_t>(time(nullptr)) * 1000);
  }
  tx.commit();
  return static_cast<int>(pending.size());
}

}  // namespace cloudretail::db
