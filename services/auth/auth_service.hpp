#pragma once
/// Identity: registration with an emailed 6-digit code, login with Argon2id
/// passwords and ES256 tokens, rotating refresh tokens, logout, and admin
/// bootstrap. No HTTP, JSON or SQL here.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "auth/auth_repository.hpp"
#include "auth/auth_types.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_signer.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "notification/notification_client.hpp"

namespace cloudretail::auth {

inline constexpr int64_t kCodeLifetimeMs = 24LL * 3600 * 1000;
inline constexpr int kCodeMaxAttempts = 5;
inline constexpr int64_t kResetCodeLifetimeMs = 3600LL * 1000;
inline constexpr int64_t kRefreshLifetimeMs = 30LL * 24 * 3600 * 1000;
/// A refresh token presented again this soon after its rotation gets that rotation's tokens.
inline constexpr int64_t kRefreshRetryGraceMs = 30'000;
/// Unconfirmed accounts are deleted this long after their last code.
inline constexpr int64_t kPendingLifetimeMs = 24LL * 3600 * 1000;

/// Lower case, surrounding spaces removed: emails are case-insensitive identities.
std::string normalize_email(std::string_view email);
/// A plausible address the shop's mailer accepts (ASCII only, see core/email_address.hpp).
bool valid_email(std::string_view normalized);
/// At least 8 characters with an upper-case letter, a lower-case letter and a digit.
bool valid_password(std::string_view password);

struct AuthPolicies {
  // Login failures.
  ThrottlePolicy account{5, 15 * 60 * 1000, 1000, 15 * 60 * 1000};
  ThrottlePolicy address{20, 15 * 60 * 1000, 1000, 15 * 60 * 1000};
  // Routes that send mail (register, resend-code, forgot-password), each counted apart.
  Quota codes_per_email{5, 60 * 60 * 1000};
  Quota requests_per_address{30, 10 * 60 * 1000};
};

class AuthService {
 public:
  /// `notifier` may be null (the notification service not wired): emails are then skipped with a warning.
  AuthService(AuthRepository& repo, const TokenSigner& signer, PasswordHasher& hasher, LoginThrottle& throttle,
              std::shared_ptr<notification::NotificationClient> notifier, const Clock& clock,
              AuthPolicies policies = {});

  /// Returns the new userSub. An unconfirmed registration of the same email is replaced.
  Result<std::string> register_user(const std::string& email, const std::string& password,
                                    const std::string& client_ip);
  /// The same answer for unknown, unconfirmed and confirmed accounts; only an unconfirmed one gets a code.
  Status resend_code(const std::string& email, const std::string& client_ip);
  Status confirm(const std::string& email, const std::string& code);
  /// The same answer whether or not the account exists; an existing one gets a reset code.
  Status forgot_password(const std::string& email, const std::string& client_ip);
  Status reset_password(const std::string& email, const std::string& code, const std::string& new_password,
                        const std::string& client_ip);
  Status change_password(const std::string& user_id, const std::string& old_password, const std::string& new_password,
                         const std::string& client_ip);
  Result<Tokens> login(const std::string& email, const std::string& password, const std::string& client_ip);
  Result<Tokens> refresh(const std::string& refresh_token);
  Status logout(const std::string& refresh_token);

  /// Bootstrap: creates a confirmed admin when the email is unknown; leaves an
  /// existing account alone unless `promote_existing` (operator CLI).
  Status ensure_admin(const std::string& email, const std::string& password, bool promote_existing);

  /// Housekeeping: drops expired refresh tokens and unconfirmed accounts past their last code.
  int64_t purge_expired();

 private:
  Result<Tokens> issue_tokens(const User& user, const std::string& family_id);
  /// Counts one request against `action`'s quota for the client address and/or the
  /// email (whichever is not empty); 429 when one is used up.
  std::optional<Error> over_quota(std::string_view action, const std::string& email, const std::string& client_ip);
  void send_email(notification::EmailType type, const User& user, const std::string& code);
  /// Tokens of a refresh issued moments ago, so a retried refresh answers the same bytes.
  std::optional<Tokens> recent_refresh(const std::string& old_hash);
  void remember_refresh(const std::string& old_hash, const Tokens& tokens, int64_t now_ms);

  AuthRepository& repo_;
  const TokenSigner& signer_;
  PasswordHasher& hasher_;
  LoginThrottle& throttle_;
  std::shared_ptr<notification::NotificationClient> notifier_;
  const Clock& clock_;
  AuthPolicies policies_;
  std::string refresh_secret_;  // derives a rotation's new refresh token from the old one
  std::mutex recent_mutex_;
  std::unordered_map<std::string, std::pair<int64_t, Tokens>> recent_refreshes_;  // old hash -> (when, tokens)
};

}  // namespace cloudretail::auth
