#pragma once
/// Mock payment provider: records a payment and moves the order through the
/// OrderClient (never the orders table). Email failure never fails a payment: it
/// is recorded on the payment and retried by retry_failed_emails().
#include <atomic>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "notification/notification_client.hpp"
#include "order/order_client.hpp"
#include "payment/payment_repository.hpp"

namespace cloudretail::payment {

struct EmailOutcome {
  bool attempted = false;
  bool success = false;
  bool delivered = false;  // sent at once (200) rather than queued (202)
  std::string type;
  std::string to_email;
  std::string error;
};

struct PaymentOutcome {
  PaymentRecord payment;
  order::OrderInfo order;
  EmailOutcome email;
  order::ReleaseOutcome release;
};

struct Caller {
  std::string user_id;
  bool privileged = false;  // admin or service: may pay any order
  std::string email;        // the access token's `email` (empty for services)
};

class PaymentService {
 public:
  static constexpr int64_t kMaxEmailAttempts = 10;
  /// Every POST /payments naming an order that gets past validation, ownership and
  /// lookup counts; the one after this many is refused (a mock provider must not be
  /// a free way to hammer an order or mail its buyer).
  static constexpr int kMaxPaymentAttempts = 5;

  PaymentService(PaymentRepository& repo, order::OrderClient& orders, notification::NotificationClient* notifications,
                 const Clock& clock, std::atomic<uint64_t>* payments_counter = nullptr)
      : repo_(repo), orders_(orders), notifications_(notifications), clock_(clock), payments_(payments_counter) {}

  /// Called when the order and inventory services run in this process on `db`: the
  /// payment row, the order's transition and the stock release then commit together.
  void share_transactions_with_peers(db::Database* db) { shared_database_ = db; }
  /// Called when, besides, the notification service runs here on that database: the
  /// payment's email is queued inside the payment's transaction (one commit for both,
  /// and no payment whose email a crash could lose), then delivered after it.
  void queue_emails_with_payments(notification::NotificationOutbox* outbox) { outbox_ = outbox; }

  Result<PaymentOutcome> pay(const Caller& caller, const std::string& order_id, bool success);
  /// 404 "Payment not found"; 403 for another user's payment.
  Result<PaymentRecord> get(const Caller& caller, const std::string& payment_id);
  /// Re-sends emails the notification service could not take; returns how many went.
  int retry_failed_emails();
  /// Finishes payments a dead process wrote but may not have applied (older than
  /// `grace_ms`): the provider's verdict stands, so it is applied to the order if
  /// still possible, else the payment is dropped. Returns how many were settled.
  int reconcile_pending(int64_t grace_ms);

 private:
  /// A first attempt at the payment's email: the outcome's fields, the count raised.
  static EmailOutcome start_attempt(PaymentRecord& payment);
  /// The attempt's result on the payment row (email_state, email_attempts).
  void record_attempt(PaymentRecord& payment, const EmailOutcome& outcome);
  EmailOutcome send_email(PaymentRecord& payment);
  /// Inside the payment's transaction: stores the email in the outbox and records on
  /// the payment that it was handed over (or why not).
  std::optional<notification::QueuedNotification> queue_email(PaymentRecord& payment, EmailOutcome& outcome);

  PaymentRepository& repo_;
  order::OrderClient& orders_;
  notification::NotificationClient* notifications_;
  const Clock& clock_;
  std::atomic<uint64_t>* payments_;
  db::Database* shared_database_ = nullptr;
  notification::NotificationOutbox* outbox_ = nullptr;  // only with shared_database_
};

}  // namespace cloudretail::payment
