#pragma once
/// The only SQL of the payment service: payments and payment_idempotency_keys.
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "payment/payment_status.hpp"

namespace cloudretail::payment {

/// services/payment/migrations/*.sql, compiled in by cloudretail_service_migrations
/// (libs/db/migrations.cmake).
std::span<const db::MigrationFile> migration_files();

struct PaymentRecord {
  std::string payment_id;
  std::string order_id;
  std::string user_id;
  int64_t amount_minor = 0;
  std::string currency;
  PaymentStatus status = PaymentStatus::kSuccess;  // REFUNDED: negative amount
  std::string provider = "MOCK";
  int64_t created_at_ms = 0;
  PaymentState state = PaymentState::kApplied;
  EmailState email_state = EmailState::kNone;  // failed ones are retried
  std::string email_type;                      // order-confirmed | payment-failed
  std::string email_to;
  int64_t email_attempts = 0;
};

class PaymentRepository {
 public:
  explicit PaymentRepository(db::Database& db) : db_(db) {}
  void insert(const PaymentRecord& p);
  /// Inserts an order's refund unless it has one; returns the one stored.
  PaymentRecord insert_refund(const PaymentRecord& p);
  std::optional<PaymentRecord> find(const std::string& payment_id);
  /// pending -> applied.
  void mark_applied(const std::string& payment_id);
  /// Deletes a payment still pending (the order refused it).
  void remove_pending(const std::string& payment_id);
  /// Payments left pending since before `before_ms` (their process died).
  std::vector<PaymentRecord> stale_pending(int64_t before_ms, int limit);
  void set_email_state(const std::string& payment_id, EmailState state, int64_t attempts);
  /// Payments whose email could not be handed to the notification service.
  std::vector<PaymentRecord> failed_emails(int64_t max_attempts, int limit);

  /// Counts one payment attempt on the order; false (nothing counted) once `max` were made.
  bool take_attempt(const std::string& order_id, int max);

  /// The payment tables for `dialect`: migrations/*.sql and the Idempotency-Key table.
  static std::vector<db::Migration> migrations(db::Dialect dialect);

 private:
  db::Database& db_;
};

}  // namespace cloudretail::payment
