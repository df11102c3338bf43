#include "idempotency/sql_key_store.hpp"

#include <stdexcept>

namespace cloudretail::idempotency {

namespace {
const std::string& checked(const std::string& table) {
  if (!valid_table_name(table))
    throw std::invalid_argument("idempotency table name is not a plain identifier: " + table);
  return table;
}
}  // namespace

bool valid_table_name(const std::string& table) {
  if (table.empty() || table.size() > 63) return false;  // PostgreSQL truncates identifiers past 63 bytes
  if (table[0] < 'a' || table[0] > 'z') return false;
  for (char c : table)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

db::Migration SqlKeyStore::migration(const std::string& service, int version, const std::string& table_name) {
  const std::string& table = checked(table_name);
  return {service, version,
          "CREATE TABLE " + table +
              " (scope TEXT NOT NULL, idem_key TEXT NOT NULL, request_hash TEXT NOT NULL, status TEXT NOT NULL,"
              " response_status BIGINT, response_body TEXT, created_at BIGINT NOT NULL,"
              " PRIMARY KEY (scope, idem_key));"
              "CREATE INDEX " +
              table + "_created ON " + table + " (created_at)"};
}

SqlKeyStore::Statements SqlKeyStore::statements_for(const std::string& table_name) {
  const std::string& t = checked(table_name);
  return {
      "DELETE FROM " + t +
          " WHERE scope = ? AND idem_key = ? AND (created_at < ? OR (status = 'in_progress' AND created_at < ?))",
      "INSERT INTO " + t +
          " (scope, idem_key, request_hash, status, created_at) VALUES (?, ?, ?, 'in_progress', ?)"
          " ON CONFLICT (scope, idem_key) DO NOTHING",
      "SELECT request_hash, status, response_status, response_body FROM " + t + " WHERE scope = ? AND idem_key = ?",
      "UPDATE " + t + " SET status = 'done', response_status = ?, response_body = ? WHERE scope = ? AND idem_key = ?",
      "DELETE FROM " + t + " WHERE scope = ? AND idem_key = ? AND status = 'in_progress'",
      "DELETE FROM " + t + " WHERE created_at < ?",
  };
}

SqlKeyStore::SqlKeyStore(db::Database& db, const std::string& table, const Clock& clock)
    : db_(db), clock_(clock), sql_(statements_for(table)) {}

Claim SqlKeyStore::claim(const std::string& scope, const std::string& key, const std::string& request_hash) {
  const int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  // An expired key, or one left in_progress by a process that died, may be taken again.
  conn->execute(sql_.take_over, scope, key, now - kKeepMs, now - kStaleInProgressMs);
  const int64_t claimed = conn->execute(sql_.insert, scope, key, request_hash, now);
  if (claimed == 1) return {ClaimKind::kClaimed, 0, {}};
  auto rows = conn->query(sql_.select, scope, key);
  if (rows.empty()) return {ClaimKind::kInProgress, 0, {}};  // deleted between the two statements: let the client retry
  const auto& r = rows.first();
  if (r.text(0) != request_hash) return {ClaimKind::kMismatch, 0, {}};
  if (r.text(1) != "done") return {ClaimKind::kInProgress, 0, {}};
  return {ClaimKind::kReplay, static_cast<int>(r.int64(2)), r.text(3)};
}

void SqlKeyStore::complete(const std::string& scope, const std::string& key, int status, const std::string& body) {
  auto conn = db_.acquire();
  conn->execute(sql_.complete, int64_t{status}, body, scope, key);
}

void SqlKeyStore::abandon(const std::string& scope, const std::string& key) {
  auto conn = db_.acquire();
  conn->execute(sql_.abandon, scope, key);
}

void SqlKeyStore::purge_expired() {
  auto conn = db_.acquire();
  conn->execute(sql_.purge, clock_.now_ms() - kKeepMs);
}

}  // namespace cloudretail::idempotency
