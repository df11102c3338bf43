#pragma once
/// The email queue table: every message is stored here, rendered, before any
/// delivery attempt. A row is claimed (claimed_until in the future) by whoever
/// attempts it, so the inline attempt and the retry worker never send it twice at
/// the same time. The only code in this service that runs SQL.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "notification/email_status.hpp"

namespace cloudretail::notification {

/// services/notification/migrations/*.sql, compiled in by cloudretail_service_migrations
/// (libs/db/migrations.cmake).
std::span<const db::MigrationFile> migration_files();

struct QueuedEmail {
  std::string id;
  std::string type;  // "order-confirmed"
  std::string to_email;
  std::string from_email;  // envelope sender
  std::string mime;        // the rendered message
  EmailStatus status = EmailStatus::kQueued;
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;
  int64_t created_at = 0;
  std::string last_error;
};

class NotificationRepository {
 public:
  explicit NotificationRepository(db::Database& db) : db_(db) {}

  /// Stores a queued message, claimed until `claimed_until` by the caller (nullopt:
  /// unclaimed, for the worker).
  void insert(const QueuedEmail& email, std::optional<int64_t> claimed_until);
  /// Claims a queued row whose claim has lapsed; false when someone else holds it
  /// or it is no longer queued.
  bool claim(const std::string& id, int64_t now_ms, int64_t claimed_until);
  /// Ids of queued rows due at `now_ms` and not claimed, oldest due first.
  std::vector<std::string> due(int64_t now_ms, int limit);
  std::optional<QueuedEmail> find(const std::string& id);

  /// Also drops the message body: once sent, codes and addresses need not stay.
  void mark_sent(const std::string& id, int64_t attempts, int64_t now_ms);
  void mark_retry(const std::string& id, int64_t attempts, int64_t next_attempt_at, const std::string& error);
  void mark_failed(const std::string& id, int64_t attempts, const std::string& error);
  /// Deletes sent rows older than `before_ms` (their content is no longer needed).
  int64_t purge_sent(int64_t before_ms);
  /// Rows in one status (queued for a gauge; all for tests).
  int64_t count_with_status(EmailStatus status);
  /// created_at (ms) of the oldest queued row, for the queue-age gauge.
  std::optional<int64_t> oldest_queued_created_at();

  /// The notification tables for `dialect`: migrations/*.sql.
  static std::vector<db::Migration> migrations(db::Dialect dialect);

 private:
  db::Database& db_;
};

}  // namespace cloudretail::notification
