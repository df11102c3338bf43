#pragma once
/// The email queue's state machine. Text ("queued") exists only in the
/// email_queue table; in between, this enum.
///   queued -> queued (a retry later) | sent | failed (gave up); sent and failed are
/// final. The repository's conditional UPDATEs are what enforce it.
#include <optional>
#include <string_view>

namespace cloudretail::notification {

enum class EmailStatus { kQueued, kSent, kFailed };

constexpr std::string_view to_string(EmailStatus s) {
  switch (s) {
    case EmailStatus::kQueued:
      return "queued";
    case EmailStatus::kSent:
      return "sent";
    case EmailStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

constexpr std::optional<EmailStatus> parse_email_status(std::string_view text) {
  for (auto s : {EmailStatus::kQueued, EmailStatus::kSent, EmailStatus::kFailed})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

}  // namespace cloudretail::notification
