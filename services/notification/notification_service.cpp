#include "notification/notification_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "core/crypto.hpp"
#include "core/email_address.hpp"
#include "core/money.hpp"
#include "notification/mime.hpp"
#include "notification/notification_repository.hpp"
#include "notification/templates.hpp"

namespace cloudretail::notification {

namespace {

// The mailer's address rule lives in libs/core so registration refuses the same addresses.
bool is_valid_email(std::string_view e) { return is_deliverable_email(e); }

// A value printed into a message: no control characters (so no header or line
// injection), bounded length.
bool is_clean_value(std::string_view v, size_t max_len) {
  if (v.size() > max_len) return false;
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

int64_t backoff_ms(int64_t attempts, int64_t base_ms, int64_t max_ms) {
  int64_t delay = std::max<int64_t>(1, base_ms);
  for (int64_t i = 1; i < attempts && delay < max_ms; ++i) delay *= 2;
  return std::min(delay, max_ms);
}

Status validate_request(const EmailRequest& r) {
  if (r.email.empty()) return bad_request("email is required", "ValidationError");
  if (!is_valid_email(r.email)) return bad_request("email is invalid", "ValidationError");
  if (!is_clean_value(r.user_id, 256)) return bad_request("userId is invalid", "ValidationError");
  const bool carries_code = r.type == EmailType::kVerificationCode || r.type == EmailType::kPasswordResetCode;
  if (!carries_code && r.user_id.empty()) return bad_request("userId is required", "ValidationError");
  if (!is_clean_value(r.tracking_number, 128)) return bad_request("trackingNumber is invalid", "ValidationError");
  if (r.type == EmailType::kOrderConfirmed || r.type == EmailType::kPaymentFailed ||
      r.type == EmailType::kOrderShipped || r.type == EmailType::kOrderRefunded) {
    if (r.order_id.empty()) return bad_request("orderId is required", "ValidationError");
    if (!is_clean_value(r.order_id, 256)) return bad_request("orderId is invalid", "ValidationError");
  }
  if (r.type == EmailType::kOrderConfirmed || r.type == EmailType::kOrderRefunded) {
    if (r.amount_minor < 0) return bad_request("amount is invalid", "ValidationError");
    if (!is_currency_code(r.currency)) return bad_request("currency is invalid", "ValidationError");
  }
  if (carries_code) {
    if (r.code.empty()) return bad_request("code is required", "ValidationError");
    if (!is_clean_value(r.code, 128)) return bad_request("code is invalid", "ValidationError");
  }
  return ok_status();
}

NotificationService::NotificationService(NotificationRepository& repo, Transport& transport, const Clock& clock,
                                         NotificationSettings settings, NotificationCounters counters)
    : repo_(repo), transport_(transport), clock_(clock), settings_(std::move(settings)), counters_(counters) {
  auto address = mailbox_address(settings_.mail_from);
  if (!address) throw std::invalid_argument("SES_FROM_EMAIL/MAIL_FROM has no valid address");
  envelope_from_ = *address;
  // "Name <addr>" is used as given; a bare address gets APP_NAME as its display name.
  header_from_ = settings_.mail_from.find('<') != std::string::npos
                     ? settings_.mail_from
                     : format_mailbox(settings_.app_name, envelope_from_);
  message_id_domain_ = envelope_from_.substr(envelope_from_.find('@') + 1);
  settings_.max_attempts = std::max<int64_t>(1, settings_.max_attempts);
}

Result<QueuedNotification> NotificationService::queue(const EmailRequest& input) {
  EmailRequest r = input;
  r.email = trim(r.email);
  r.user_id = trim(r.user_id);
  r.order_id = trim(r.order_id);
  r.code = trim(r.code);
  r.tracking_number = trim(r.tracking_number);
  std::transform(r.currency.begin(), r.currency.end(), r.currency.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (auto ok = validate_request(r); !ok) return ok.error();

  const RenderedEmail rendered = render_email(r, settings_.app_name);
  const int64_t now = clock_.now_ms();
  MimeMessage mime;
  mime.from = header_from_;
  mime.to = r.email;
  mime.subject = rendered.subject;
  mime.text = rendered.text;
  mime.html = rendered.html;
  mime.date_ms = now;
  mime.message_id = random_letters(24) + "@" + message_id_domain_;
  mime.boundary = "alt-" + random_letters(24);

  auto email = std::make_shared<QueuedEmail>();
  email->id = crypto::uuid4();
  email->type = std::string(email_type_name(r.type));
  email->to_email = r.email;
  email->from_email = envelope_from_;
  email->mime = build_mime(mime);
  email->status = EmailStatus::kQueued;
  email->next_attempt_at = now;
  email->created_at = now;
  QueuedNotification queued;
  queued.outcome.type = email->type;
  queued.outcome.to_email = email->to_email;
  if (now < down_until_ms_.load()) {
    // The server was unreachable moments ago: queue for the worker (which probes
    // it) rather than hold the caller for a connect timeout.
    repo_.insert(*email, std::nullopt);
    return queued;
  }
  // Stored claimed by the caller: the worker leaves it alone until the inline attempt.
  repo_.insert(*email, now + settings_.claim_ms);
  queued.email = std::move(email);
  return queued;
}

bool NotificationService::deliver(const QueuedNotification& queued) {
  if (!queued.email) return false;
  try {
    return attempt(*queued.email);
  } catch (const std::exception& e) {
    // Stored but its bookkeeping failed: the worker picks it up once the claim lapses.
    spdlog::warn("email {} stored; recording its delivery failed: {}", queued.email->id, e.what());
    return false;
  }
}

Result<NotificationOutcome> NotificationService::send(const EmailRequest& request) {
  auto queued = queue(request);
  if (!queued) return queued.error();
  queued->outcome.delivered = deliver(*queued);
  return queued->outcome;
}

bool NotificationService::attempt(const QueuedEmail& email) {
  OutgoingMessage message{email.id, email.from_email, email.to_email, email.mime, email.created_at};
  Status delivered = transport_.deliver(message);
  const int64_t attempts = email.attempts + 1;
  const int64_t now = clock_.now_ms();
  if (delivered) {
    down_until_ms_ = 0;
    repo_.mark_sent(email.id, attempts, now);
    if (counters_.sent) ++*counters_.sent;
    spdlog::info("email {} ({}) delivered via {} after {} attempt(s)", email.id, email.type, transport_.describe(),
                 attempts);
    return true;
  }
  const std::string& why = delivered.error().message;
  if (delivered.error().name == kTransportDown) down_until_ms_ = now + settings_.skip_inline_ms;
  if (attempts >= settings_.max_attempts || delivered.error().name == kMessageRejected) {
    repo_.mark_failed(email.id, attempts, why);
    if (counters_.failed) ++*counters_.failed;
    spdlog::error("email {} ({}) failed after {} attempts, giving up: {}", email.id, email.type, attempts, why);
    return false;
  }
  const int64_t delay = backoff_ms(attempts, settings_.retry_base_ms, settings_.retry_max_ms);
  repo_.mark_retry(email.id, attempts, now + delay, why);
  if (counters_.retried) ++*counters_.retried;
  spdlog::warn("email {} ({}) not delivered (attempt {}/{}), retry in {} ms: {}", email.id, email.type, attempts,
               settings_.max_attempts, delay, why);
  return false;
}

int NotificationService::process_due(std::stop_token stop) {
  const int64_t now = clock_.now_ms();
  int delivered = 0;
  for (const auto& id : repo_.due(now, 32)) {
    if (stop.stop_requested()) break;
    // The claim runs from the moment of the attempt, not the start of the pass.
    const int64_t t = std::max(now, clock_.now_ms());
    if (!repo_.claim(id, t, t + settings_.claim_ms)) continue;  // someone else has it
    auto email = repo_.find(id);
    if (!email) continue;
    if (attempt(*email)) ++delivered;
    // Unreachable server: leave the rest of the batch to their own backoff.
    if (down_until_ms_.load() > now) break;
  }
  int64_t last = last_purge_ms_.load();
  if (now - last > 3600 * 1000 && last_purge_ms_.compare_exchange_strong(last, now))
    repo_.purge_sent(now - settings_.keep_sent_ms);
  return delivered;
}

Result<NotificationOutcome> LocalNotificationClient::send(const EmailRequest& request) {
  try {
    return service_.send(request);
  } catch (const std::exception& e) {
    // Nothing was stored (the database refused the insert).
    spdlog::error("notification not stored: {}", e.what());
    return unavailable("Notification service error");
  }
}

Result<QueuedNotification> LocalNotificationClient::queue(const EmailRequest& request) {
  try {
    return service_.queue(request);
  } catch (const std::exception& e) {
    // The insert's savepoint was rolled back; the caller's transaction goes on.
    spdlog::error("notification not stored: {}", e.what());
    return unavailable("Notification service error");
  }
}

bool LocalNotificationClient::deliver(const QueuedNotification& queued) { return service_.deliver(queued); }

}  // namespace cloudretail::notification
