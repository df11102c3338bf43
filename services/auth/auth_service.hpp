#pragma once
/// Identity: registration with an emailed 6-digit code, login with Argon2id
/// passwords and ES256 tokens, rotating refresh tokens, logout, and admin
/// bootstrap. No HTTP, JSON or SQL here.
#include <memory>
#include <string>

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
inline constexpr int64_t kRefreshLifetimeMs = 30LL * 24 * 3600 * 1000;

/// Lower case, surrounding spaces removed: emails are case-insensitive identities.
std::string normalize_email(std::string_view email);
bool valid_email(std::string_view normalized);
/// At least 8 characters with an upper-case letter, a lower-case letter and a digit.
bool valid_password(std::string_view password);

struct AuthPolicies {
  ThrottlePolicy account{5, 15 * 60 * 1000, 1000, 15 * 60 * 1000};
  ThrottlePolicy address{20, 15 * 60 * 1000, 1000, 15 * 60 * 1000};
  ThrottlePolicy resend{3, 60 * 60 * 1000, 30 * 1000, 60 * 60 * 1000};
};

class AuthService {
 public:
  /// `notifier` may be null (the notification service not wired): emails are then skipped with a warning.
  AuthService(AuthRepository& repo, const TokenSigner& signer, PasswordHasher& hasher, LoginThrottle& throttle,
              std::shared_ptr<notification::NotificationClient> notifier, const Clock& clock,
              AuthPolicies policies = {});

  /// Returns the new userSub.
  Result<std::string> register_user(const std::string& email, const std::string& password);
  Status resend_code(const std::string& email);
  Status confirm(const std::string& email, const std::string& code);
  Result<Tokens> login(const std::string& email, const std::string& password, const std::string& client_ip);
  Result<Tokens> refresh(const std::string& refresh_token);
  Status logout(const std::string& refresh_token);

  /// Bootstrap: creates a confirmed admin when the email is unknown; leaves an
  /// existing account alone unless `promote_existing` (operator CLI).
  Status ensure_admin(const std::string& email, const std::string& password, bool promote_existing);

  /// Housekeeping: drops expired refresh tokens.
  int64_t purge_expired();

 private:
  Result<Tokens> issue_tokens(const User& user, const std::string& family_id);
  std::string new_code_for(const User& user);
  void send_email(notification::EmailType type, const User& user, const std::string& code);

  AuthRepository& repo_;
  const TokenSigner& signer_;
  PasswordHasher& hasher_;
  LoginThrottle& throttle_;
  std::shared_ptr<notification::NotificationClient> notifier_;
  const Clock& clock_;
  AuthPolicies policies_;
};

}  // namespace cloudretail::auth
