#pragma once
/// The payment service's three small state machines. Text ("SUCCESS", "pending")
/// exists only in the payments table and on the wire; in between, these enums.
#include <optional>
#include <string_view>

namespace cloudretail::payment {

/// What the (mock) provider said; REFUNDED rows carry a negative amount. Never changes.
enum class PaymentStatus { kSuccess, kFailed, kRefunded };

constexpr std::string_view to_string(PaymentStatus s) {
  switch (s) {
    case PaymentStatus::kSuccess:
      return "SUCCESS";
    case PaymentStatus::kFailed:
      return "FAILED";
    case PaymentStatus::kRefunded:
      return "REFUNDED";
  }
  return "UNKNOWN";
}

constexpr std::optional<PaymentStatus> parse_payment_status(std::string_view text) {
  for (auto s : {PaymentStatus::kSuccess, PaymentStatus::kFailed, PaymentStatus::kRefunded})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

/// pending: written before the order was told (a crash leaves it for reconcile);
/// applied: the order took it. pending -> applied, or the pending row is deleted.
enum class PaymentState { kPending, kApplied };

constexpr std::string_view to_string(PaymentState s) {
  switch (s) {
    case PaymentState::kPending:
      return "pending";
    case PaymentState::kApplied:
      return "applied";
  }
  return "unknown";
}

constexpr std::optional<PaymentState> parse_payment_state(std::string_view text) {
  for (auto s : {PaymentState::kPending, PaymentState::kApplied})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

/// The payment's email: none (nobody to tell) is final; pending until the first
/// attempt; sent or queued (the notification service took it) are final; failed is
/// retried (-> sent | queued | failed again) until the attempts run out.
enum class EmailState { kNone, kPending, kSent, kQueued, kFailed };

constexpr std::string_view to_string(EmailState s) {
  switch (s) {
    case EmailState::kNone:
      return "none";
    case EmailState::kPending:
      return "pending";
    case EmailState::kSent:
      return "sent";
    case EmailState::kQueued:
      return "queued";
    case EmailState::kFailed:
      return "failed";
  }
  return "unknown";
}

constexpr std::optional<EmailState> parse_email_state(std::string_view text) {
  for (auto s : {EmailState::kNone, EmailState::kPending, EmailState::kSent, EmailState::kQueued, EmailState::kFailed})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

/// What an attempt to hand the email over leaves: queued counts as handed over (the
/// notification service retries delivery itself).
constexpr EmailState after_attempt(bool handed_over, bool delivered) {
  return handed_over ? (delivered ? EmailState::kSent : EmailState::kQueued) : EmailState::kFailed;
}

}  // namespace cloudretail::payment
