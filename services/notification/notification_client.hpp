#pragma once
/// What other services may ask of notifications. Implementations: in-process
/// (LocalNotificationClient) and HTTP (split deployment). A message is stored
/// durably before any delivery attempt; `delivered` tells whether it went out at
/// once (200 "Notification sent") or is queued for retry (202 "Notification queued").
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace cloudretail::notification {

enum class EmailType {
  kUserRegistered,
  kOrderConfirmed,
  kPaymentFailed,
  kVerificationCode,
  kOrderShipped,
  kOrderRefunded,
  kPasswordResetCode
};
std::string_view email_type_name(EmailType t);  // "user-registered", ...

struct EmailRequest {
  EmailType type = EmailType::kUserRegistered;
  std::string email;
  std::string user_id;
  std::string order_id;         // order-confirmed, payment-failed, order-shipped, order-refunded
  int64_t amount_minor = 0;     // order-confirmed, order-refunded (the amount given back)
  std::string currency;         // order-confirmed, order-refunded
  std::string tracking_number;  // order-shipped, optional
  std::string code;             // verification-code, password-reset-code
};

struct NotificationOutcome {
  bool delivered = false;  // false = queued for retry
  std::string type;        // "order-confirmed"
  std::string to_email;
};

class NotificationClient {
 public:
  virtual ~NotificationClient() = default;
  /// Errors: kBadRequest for a missing/invalid email; kUnavailable when the
  /// notification service cannot be reached (nothing stored).
  virtual Result<NotificationOutcome> send(const EmailRequest& request) = 0;
};

struct QueuedEmail;  // notification_repository.hpp: opaque to callers

/// A message queue()d but not yet attempted.
struct QueuedNotification {
  NotificationOutcome outcome;               // delivered is false until deliver() says otherwise
  std::shared_ptr<const QueuedEmail> email;  // null: left to the retry worker (transport known down)
};

/// The transactional outbox, in-process only, for a caller whose SharedTransaction
/// spans the notification service's database: queue() stores the message inside that
/// transaction, so it commits (or rolls back) with the caller's own writes and costs
/// no commit of its own; deliver() makes the inline attempt once that transaction has
/// committed. A message whose deliver() never runs (the process died in between) is
/// sent by the retry worker when its claim lapses.
class NotificationOutbox {
 public:
  virtual ~NotificationOutbox() = default;
  /// Errors as send(): kBadRequest (nothing stored), kUnavailable (the insert failed;
  /// only its own savepoint was rolled back).
  virtual Result<QueuedNotification> queue(const EmailRequest& request) = 0;
  /// True when the message went out now; false leaves it to the retry worker.
  virtual bool deliver(const QueuedNotification& queued) = 0;
};

}  // namespace cloudretail::notification
