#pragma once
/// Notification domain: validates a request, renders its template, stores the
/// message in the durable queue, attempts delivery once inline and leaves
/// failures to the retry worker (exponential backoff, bounded attempts).
#include <atomic>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "notification/notification_client.hpp"
#include "notification/transport.hpp"

namespace cloudretail::notification {

class NotificationRepository;
struct QueuedEmail;

struct NotificationSettings {
  std::string app_name = "CloudRetail";
  std::string mail_from = "noreply@cloudretail.local";  // "addr" or "Name <addr>"
  int64_t retry_base_ms = 1000;                         // NOTIFY_RETRY_BASE_MS: first retry delay
  int64_t retry_max_ms = 60000;                         // NOTIFY_RETRY_MAX_MS: backoff cap
  int64_t max_attempts = 8;                             // NOTIFY_MAX_ATTEMPTS: then the message is failed
  int64_t poll_ms = 250;                                // NOTIFY_POLL_MS: worker wake-up interval
  int64_t claim_ms = 120000;                            // how long an attempt owns a row (> transport timeout)
  /// After the transport could not be reached, requests skip their inline attempt
  /// (answering 202 at once) for this long or until the worker delivers again.
  int64_t skip_inline_ms = 30000;
  int64_t keep_sent_ms = 7LL * 24 * 3600 * 1000;  // sent rows are purged after this
};

/// Counters (Prometheus); any may be null.
struct NotificationCounters {
  std::atomic<uint64_t>* sent = nullptr;
  std::atomic<uint64_t>* retried = nullptr;
  std::atomic<uint64_t>* failed = nullptr;
};

/// The delay before attempt `attempts + 1`, after `attempts` failures (>= 1):
/// base, 2 base, 4 base, ... capped at max.
int64_t backoff_ms(int64_t attempts, int64_t base_ms, int64_t max_ms);

/// Checks the fields each type needs; kBadRequest naming the first bad one.
Status validate_request(const EmailRequest& request);

class NotificationService {
 public:
  /// Throws std::invalid_argument when mail_from has no address.
  NotificationService(NotificationRepository& repo, Transport& transport, const Clock& clock,
                      NotificationSettings settings, NotificationCounters counters = {});

  /// Validates, stores, then tries once. Delivery failures never come back as
  /// errors: the outcome says "queued". DbError propagates (nothing was stored).
  Result<NotificationOutcome> send(const EmailRequest& request);
  /// send() in two halves, for the transactional outbox: validates and stores the
  /// message claimed by the caller (in the caller's transaction, if one is open on
  /// our database) ...
  Result<QueuedNotification> queue(const EmailRequest& request);
  /// ... and, after that transaction committed, the inline attempt. Never throws.
  bool deliver(const QueuedNotification& queued);

  /// One pass of the retry worker (run every poll_ms by the composition root):
  /// attempts every due, unclaimed message. Returns how many were delivered.
  int process_due(std::stop_token stop = {});

  const NotificationSettings& settings() const { return settings_; }

 private:
  /// Delivers a message the caller has claimed and records the result.
  bool attempt(const QueuedEmail& email);

  NotificationRepository& repo_;
  Transport& transport_;
  const Clock& clock_;
  NotificationSettings settings_;
  NotificationCounters counters_;
  std::string envelope_from_;
  std::string header_from_;
  std::string message_id_domain_;

  std::atomic<int64_t> last_purge_ms_{0};
  /// Until when inline attempts are skipped (transport known down); 0 = try.
  std::atomic<int64_t> down_until_ms_{0};
};

/// The in-process client identity and payments call; payments also use its outbox
/// half when they share our database.
class LocalNotificationClient final : public NotificationClient, public NotificationOutbox {
 public:
  explicit LocalNotificationClient(NotificationService& service) : service_(service) {}
  Result<NotificationOutcome> send(const EmailRequest& request) override;
  Result<QueuedNotification> queue(const EmailRequest& request) override;
  bool deliver(const QueuedNotification& queued) override;

 private:
  NotificationService& service_;
};

}  // namespace cloudretail::notification
