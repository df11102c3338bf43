#include "notification/notification_repository.hpp"

namespace cloudretail::notification {

std::vector<db::Migration> NotificationRepository::migrations(db::Dialect dialect) {
  return db::migrations_for("notification", migration_files(), dialect);
}

void NotificationRepository::insert(const QueuedEmail& e, std::optional<int64_t> claimed_until) {
  auto conn = db_.acquire();
  // A transaction of its own, so inside a caller's SharedTransaction it is a savepoint:
  // a failed insert undoes only itself and the caller's transaction stays usable.
  db::Transaction tx(*conn, db::Transaction::kWrite);
  conn->execute(
      "INSERT INTO email_queue (id, type, to_email, from_email, mime, status, attempts, next_attempt_at,"
      " claimed_until, created_at) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)",
      e.id, e.type, e.to_email, e.from_email, e.mime, e.next_attempt_at, claimed_until, e.created_at);
  tx.commit();
}

bool NotificationRepository::claim(const std::string& id, int64_t now_ms, int64_t claimed_until) {
  auto conn = db_.acquire();
  return conn->execute(
             "UPDATE email_queue SET claimed_until = ? WHERE id = ? AND status = 'queued'"
             " AND (claimed_until IS NULL OR claimed_until < ?)",
             claimed_until, id, now_ms) == 1;
}

std::vector<std::string> NotificationRepository::due(int64_t now_ms, int limit) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "SELECT id FROM email_queue WHERE status = 'queued' AND next_attempt_at <= ?"
      " AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at, created_at LIMIT ?",
      now_ms, now_ms, static_cast<int64_t>(limit));
  std::vector<std::string> ids;
  ids.reserve(rows.rows.size());
  for (const auto& row : rows.rows) ids.push_back(row.text(0));
  return ids;
}

std::optional<QueuedEmail> NotificationRepository::find(const std::string& id) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "SELECT id, type, to_email, from_email, mime, status, attempts, next_attempt_at, created_at, last_error"
      " FROM email_queue WHERE id = ?",
      id);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.first();
  auto status = parse_email_status(r.text(5));
  if (!status) throw db::DbError(db::DbError::Kind::kOther, "email_queue.status holds an unknown value: " + r.text(5));
  return QueuedEmail{r.text(0), r.text(1),  r.text(2),  r.text(3),  r.text(4),
                     *status,   r.int64(6), r.int64(7), r.int64(8), r.text(9)};
}

void NotificationRepository::mark_sent(const std::string& id, int64_t attempts, int64_t now_ms) {
  auto conn = db_.acquire();
  conn->execute(
      "UPDATE email_queue SET status = 'sent', attempts = ?, sent_at = ?, claimed_until = NULL,"
      " last_error = NULL, mime = '' WHERE id = ?",
      attempts, now_ms, id);
}

void NotificationRepository::mark_retry(const std::string& id, int64_t attempts, int64_t next_attempt_at,
                                        const std::string& error) {
  auto conn = db_.acquire();
  conn->execute(
      "UPDATE email_queue SET attempts = ?, next_attempt_at = ?, claimed_until = NULL, last_error = ?"
      " WHERE id = ?",
      attempts, next_attempt_at, error, id);
}

void NotificationRepository::mark_failed(const std::string& id, int64_t attempts, const std::string& error) {
  auto conn = db_.acquire();
  conn->execute(
      "UPDATE email_queue SET status = 'failed', attempts = ?, claimed_until = NULL, last_error = ? WHERE id = ?",
      attempts, error, id);
}

int64_t NotificationRepository::purge_sent(int64_t before_ms) {
  auto conn = db_.acquire();
  return conn->execute("DELETE FROM email_queue WHERE status = 'sent' AND sent_at < ?", before_ms);
}

int64_t NotificationRepository::count_with_status(EmailStatus status) {
  auto conn = db_.acquire();
  auto rows = conn->query("SELECT COUNT(*) FROM email_queue WHERE status = ?", to_string(status));
  return rows.empty() ? 0 : rows.first().int64(0);
}

std::optional<int64_t> NotificationRepository::oldest_queued_created_at() {
  auto conn = db_.acquire();
  auto rows = conn->query("SELECT MIN(created_at) FROM email_queue WHERE status = 'queued'");
  return rows.empty() ? std::nullopt : rows.first().opt_int64(0);
}

}  // namespace cloudretail::notification
