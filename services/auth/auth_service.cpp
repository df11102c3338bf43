#include "auth/auth_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "core/crypto.hpp"
#include "core/email_address.hpp"

namespace cloudretail::auth {

namespace {

constexpr size_t kMaxPasswordBytes = 1024;  // bounds the hashing work per request

Error not_authorized() {
  return make_error(ErrorCode::kUnauthorized, "Incorrect username or password", "NotAuthorizedException");
}
Error bad_refresh() { return make_error(ErrorCode::kUnauthorized, "Invalid refresh token", "NotAuthorizedException"); }
Error code_mismatch() { return bad_request("Invalid verification code", "CodeMismatchException"); }

Error too_many(int64_t wait_ms) {
  Error e =
      make_error(ErrorCode::kTooManyRequests, "Too many failed attempts, try again later", "TooManyRequestsException");
  e.retry_after = std::to_string(std::max<int64_t>(1, (wait_ms + 999) / 1000));
  return e;
}

Error too_many_requests(int64_t wait_ms) {
  Error e = make_error(ErrorCode::kTooManyRequests, "Too many requests, try again later", "TooManyRequestsException");
  e.retry_after = std::to_string(std::max<int64_t>(1, (wait_ms + 999) / 1000));
  return e;
}

Error weak_password() {
  return bad_request(
      "Password did not conform with policy: at least 8 characters with upper-case, lower-case letters and a digit",
      "InvalidPasswordException");
}

Error busy() {
  Error e = make_error(ErrorCode::kTooManyRequests, "Too many sign-in requests at once, try again shortly",
                       "TooManyRequestsException");
  e.retry_after.assign(1, '1');  // (= "1"; assigning the literal trips a GCC 12 -Wrestrict false positive)
  return e;
}

/// Uniform over 000000..999999 (rejection sampling, no modulo bias).
std::string six_digit_code() {
  for (;;) {
    std::string b = crypto::random_bytes(4);
    uint32_t v = (uint32_t(uint8_t(b[0])) << 24) | (uint32_t(uint8_t(b[1])) << 16) | (uint32_t(uint8_t(b[2])) << 8) |
                 uint32_t(uint8_t(b[3]));
    if (v >= 4'294'000'000u) continue;  // 4294 * 1e6: largest multiple of 1e6 below 2^32
    std::string s = std::to_string(v % 1'000'000);
    return std::string(6 - s.size(), '0') + s;
  }
}

/// Bound to the user so one code hash is useless for another account.
std::string code_hash(const std::string& user_id, const std::string& code) {
  return crypto::sha256_hex(user_id + ":" + code);
}

std::string refresh_hash(const std::string& token) { return crypto::sha256_hex(token); }

/// A jti derived from the refresh token a rotation issued: a retried refresh signs the same claims.
std::string jti_for(const std::string& refresh_token) {
  std::string h = crypto::sha256_hex("jti:" + refresh_token).substr(0, 32);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

HashTicket login_ticket(const std::string& address) { return {HashTicket::Lane::kLogin, address, false}; }
HashTicket signup_ticket(const std::string& address) { return {HashTicket::Lane::kSignUp, address, false}; }
// Start-up and CLI: waits however long the queue is.
HashTicket operator_ticket() { return {HashTicket::Lane::kLogin, "", true}; }

}  // namespace

std::string normalize_email(std::string_view email) {
  auto b = email.find_first_not_of(" \t\r\n");
  auto e = email.find_last_not_of(" \t\r\n");
  std::string out = b == std::string_view::npos ? std::string() : std::string(email.substr(b, e - b + 1));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_email(std::string_view s) {
  if (s.size() < 3 || s.size() > 254) return false;
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || s.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = s.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' || domain.find('.') == std::string_view::npos ||
      domain.find("..") != std::string_view::npos)
    return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' ||
        c == '\\' || c == '"' || c == '[' || c == ']')
      return false;
  }
  // What the mailer refuses (non-ASCII above all) could never receive its code.
  return is_deliverable_email(s);
}

bool valid_password(std::string_view p) {
  if (p.size() < 8) return false;
  bool upper = false, lower = false, digit = false;
  for (char c : p) {
    upper = upper || (c >= 'A' && c <= 'Z');
    lower = lower || (c >= 'a' && c <= 'z');
    digit = digit || (c >= '0' && c <= '9');
  }
  return upper && lower && digit;
}

AuthService::AuthService(AuthRepository& repo, const TokenSigner& signer, PasswordHasher& hasher,
                         LoginThrottle& throttle, std::shared_ptr<notification::NotificationClient> notifier,
                         const Clock& clock, AuthPolicies policies)
    : repo_(repo),
      signer_(signer),
      hasher_(hasher),
      throttle_(throttle),
      notifier_(std::move(notifier)),
      clock_(clock),
      policies_(policies),
      refresh_secret_(signer.derive_secret("cloudretail refresh rotation")) {}

std::optional<Error> AuthService::over_quota(std::string_view action, const std::string& email,
                                             const std::string& client_ip) {
  const std::string prefix(action);
  if (!client_ip.empty())
    if (int64_t wait = throttle_.take(prefix + ":ip:" + client_ip, policies_.requests_per_address))
      return too_many_requests(wait);
  if (!email.empty())
    if (int64_t wait = throttle_.take(prefix + ":email:" + email, policies_.codes_per_email))
      return too_many_requests(wait);
  return std::nullopt;
}

void AuthService::send_email(notification::EmailType type, const User& user, const std::string& code) {
  if (!notifier_) {
    spdlog::warn("auth: notification service not available; {} email to user {} not sent",
                 notification::email_type_name(type), user.id);
    return;
  }
  notification::EmailRequest req;
  req.type = type;
  req.email = user.email;
  req.user_id = user.id;
  req.code = code;
  try {
    auto sent = notifier_->send(req);
    if (!sent)
      spdlog::warn("auth: {} email for user {} failed: {}", notification::email_type_name(type), user.id,
                   sent.error().message);
  } catch (const std::exception& e) {
    // An email failure never fails registration: the user can ask for a new code.
    spdlog::warn("auth: {} email for user {} failed: {}", notification::email_type_name(type), user.id, e.what());
  }
}

Result<std::string> AuthService::register_user(const std::string& email_in, const std::string& password,
                                               const std::string& client_ip) {
  if (auto e = over_quota("register", "", client_ip)) return *e;
  std::string email = normalize_email(email_in);
  if (email.empty() || password.empty()) return bad_request("email and password are required");
  if (!valid_email(email)) return bad_request("Invalid email address", "InvalidParameterException");
  if (!valid_password(password) || password.size() > kMaxPasswordBytes) return weak_password();
  if (auto e = over_quota("register", email, "")) return *e;
  auto existing = repo_.find_by_email(email);
  if (existing && existing->confirmed) return bad_request("User already exists", "UsernameExistsException");

  const int64_t now = clock_.now_ms();
  User user;
  user.id = crypto::uuid4();
  user.email = email;
  try {
    user.password_hash = hasher_.hash(password, signup_ticket(client_ip));
  } catch (const HasherBusy&) {
    return busy();
  }
  user.created_at_ms = now;
  std::string code = six_digit_code();
  user.code_hash = code_hash(user.id, code);
  user.code_expires_at_ms = now + kCodeLifetimeMs;
  // No squatting: an unconfirmed registration of this email is replaced (new password,
  // new code; the old code stops working), whoever made it.
  if (!repo_.insert_user(user) && !repo_.replace_pending(user))
    return bad_request("User already exists", "UsernameExistsException");
  send_email(notification::EmailType::kVerificationCode, user, code);
  return user.id;
}

Status AuthService::resend_code(const std::string& email_in, const std::string& client_ip) {
  if (auto e = over_quota("resend-code", "", client_ip)) return *e;
  std::string email = normalize_email(email_in);
  if (email.empty()) return bad_request("email is required");
  if (!valid_email(email)) return bad_request("Invalid email address", "InvalidParameterException");
  // Counted for every email alike, so a 429 never tells which accounts exist.
  if (auto e = over_quota("resend-code", email, "")) return *e;
  auto user = repo_.find_by_email(email);
  // Unknown and confirmed accounts answer like unconfirmed ones, and nothing is sent.
  if (!user || user->confirmed) return ok_status();
  std::string code = six_digit_code();
  const int64_t now = clock_.now_ms();
  repo_.set_code(user->id, code_hash(user->id, code), now + kCodeLifetimeMs, now);
  send_email(notification::EmailType::kVerificationCode, *user, code);
  return ok_status();
}

Status AuthService::forgot_password(const std::string& email_in, const std::string& client_ip) {
  if (auto e = over_quota("forgot-password", "", client_ip)) return *e;
  std::string email = normalize_email(email_in);
  if (email.empty()) return bad_request("email is required");
  if (!valid_email(email)) return bad_request("Invalid email address", "InvalidParameterException");
  if (auto e = over_quota("forgot-password", email, "")) return *e;
  auto user = repo_.find_by_email(email);
  if (!user) return ok_status();  // no account discovery
  std::string code = six_digit_code();
  const int64_t now = clock_.now_ms();
  // Bound to the user like the verification code, under its own label.
  repo_.set_reset_code(user->id, code_hash(user->id, "reset:" + code), now + kResetCodeLifetimeMs, now);
  send_email(notification::EmailType::kPasswordResetCode, *user, code);
  return ok_status();
}

Status AuthService::reset_password(const std::string& email_in, const std::string& code,
                                   const std::string& new_password, const std::string& client_ip) {
  std::string email = normalize_email(email_in);
  if (email.empty() || code.empty() || new_password.empty())
    return bad_request("email, code and newPassword are required");
  // The policy first: a weak password does not spend one of the code's tries.
  if (!valid_password(new_password) || new_password.size() > kMaxPasswordBytes) return weak_password();
  auto user = repo_.find_by_email(email);
  Error mismatch = bad_request("Invalid code provided, please request a code again", "CodeMismatchException");
  if (!user || !user->reset_code_hash) return mismatch;  // unknown account and no code look alike
  if (user->reset_expires_at_ms <= clock_.now_ms())
    return bad_request("Reset code has expired; request a new one", "ExpiredCodeException");
  if (!repo_.take_reset_attempt(user->id, kCodeMaxAttempts))
    return bad_request("Too many failed attempts; request a new code", "ExpiredCodeException");
  std::string presented = code_hash(user->id, "reset:" + code);
  if (!crypto::constant_time_equal(presented, *user->reset_code_hash)) return mismatch;
  std::string new_hash;
  try {
    new_hash = hasher_.hash(new_password, signup_ticket(client_ip));
  } catch (const HasherBusy&) {
    return busy();
  }
  if (!repo_.reset_password(user->id, presented, new_hash, clock_.now_ms())) return mismatch;
  throttle_.reset("account:" + email);  // the code proved the address: earlier failures no longer count
  return ok_status();
}

Status AuthService::change_password(const std::string& user_id, const std::string& old_password,
                                    const std::string& new_password, const std::string& client_ip) {
  if (old_password.empty() || new_password.empty()) return bad_request("oldPassword and newPassword are required");
  if (!valid_password(new_password) || new_password.size() > kMaxPasswordBytes) return weak_password();
  auto user = repo_.find_by_id(user_id);
  if (!user) return not_authorized();
  // Guessing the old password with a stolen access token is throttled like logins.
  const std::string account_key = "account:" + user->email, address_key = "ip:" + client_ip;
  if (int64_t wait = std::max(throttle_.blocked_for_ms(account_key), throttle_.blocked_for_ms(address_key)))
    return too_many(wait);
  std::string new_hash;
  try {
    bool ok = old_password.size() <= kMaxPasswordBytes &&
              hasher_.verify(user->password_hash, old_password, login_ticket(client_ip));
    if (!ok) {
      throttle_.record_failure(account_key, policies_.account);
      throttle_.record_failure(address_key, policies_.address);
      return not_authorized();
    }
    new_hash = hasher_.hash(new_password, signup_ticket(client_ip));
  } catch (const HasherBusy&) {
    return busy();
  }
  // Changed (or reset) meanwhile: the old password given is no longer the account's.
  if (!repo_.change_password(user->id, user->password_hash, new_hash, clock_.now_ms())) return not_authorized();
  return ok_status();
}

Status AuthService::confirm(const std::string& email_in, const std::string& code) {
  std::string email = normalize_email(email_in);
  if (email.empty() || code.empty()) return bad_request("email and code are required");
  auto user = repo_.find_by_email(email);
  if (!user) return code_mismatch();
  if (user->confirmed) return bad_request("User is already confirmed", "InvalidParameterException");
  if (!user->code_hash) return bad_request("No verification code pending; request a new one", "ExpiredCodeException");
  if (user->code_expires_at_ms <= clock_.now_ms())
    return bad_request("Verification code has expired; request a new one", "ExpiredCodeException");
  // Each guess spends one of the code's attempts first, atomically.
  if (!repo_.take_code_attempt(user->id, kCodeMaxAttempts))
    return bad_request("Too many failed attempts; request a new code", "ExpiredCodeException");
  std::string presented = code_hash(user->id, code);
  if (!crypto::constant_time_equal(presented, *user->code_hash)) return code_mismatch();
  if (!repo_.confirm_with_code(user->id, presented, clock_.now_ms())) return code_mismatch();
  user->confirmed = true;
  send_email(notification::EmailType::kUserRegistered, *user, "");
  return ok_status();
}

Result<Tokens> AuthService::login(const std::string& email_in, const std::string& password,
                                  const std::string& client_ip) {
  std::string email = normalize_email(email_in);
  if (email.empty() || password.empty()) return bad_request("email and password are required");
  const std::string account_key = "account:" + email, address_key = "ip:" + client_ip;
  int64_t wait = std::max(throttle_.blocked_for_ms(account_key), throttle_.blocked_for_ms(address_key));
  if (wait > 0) return too_many(wait);

  auto fail = [&]() -> Error {
    throttle_.record_failure(account_key, policies_.account);
    throttle_.record_failure(address_key, policies_.address);
    return not_authorized();
  };
  if (password.size() > kMaxPasswordBytes) return fail();
  auto user = repo_.find_by_email(email);
  bool password_ok = false;
  try {
    if (!user)
      hasher_.verify_dummy(password, login_ticket(client_ip));  // same time as a wrong password
    else
      password_ok = hasher_.verify(user->password_hash, password, login_ticket(client_ip));
  } catch (const HasherBusy&) {
    return busy();  // not a failure of this account: nothing was checked
  }
  if (!password_ok) return fail();
  throttle_.reset(account_key);
  if (!user->confirmed) return make_error(ErrorCode::kForbidden, "User is not confirmed.", "UserNotConfirmedException");
  return issue_tokens(*user, crypto::uuid4());
}

Result<Tokens> AuthService::issue_tokens(const User& user, const std::string& family_id) {
  const int64_t now_ms = clock_.now_ms(), now_s = now_ms / 1000;
  Tokens t;
  t.access_token = signer_.access_token(user, now_s);
  t.id_token = signer_.id_token(user, now_s);
  t.refresh_token = crypto::random_token(32);
  t.expires_in = kAccessTokenSeconds;
  repo_.insert_refresh_token(refresh_hash(t.refresh_token), family_id, user.id, now_ms + kRefreshLifetimeMs, now_ms);
  return t;
}

Result<Tokens> AuthService::refresh(const std::string& refresh_token) {
  if (refresh_token.empty()) return bad_request("refreshToken is required");
  if (refresh_token.size() > 256) return bad_refresh();
  const int64_t now_ms = clock_.now_ms();
  // The next token is derived from this one, so a retry of this refresh names the same one.
  Tokens t;
  t.refresh_token = crypto::base64url_encode(crypto::hmac_sha256(refresh_secret_, refresh_token));
  const std::string old_hash = refresh_hash(refresh_token);
  auto rotation = repo_.rotate_refresh_token(old_hash, refresh_hash(t.refresh_token), now_ms, kRefreshRetryGraceMs);
  switch (rotation.kind) {
    case AuthRepository::Rotation::kRotated:
      break;
    case AuthRepository::Rotation::kRetried:
      if (auto same = recent_refresh(old_hash)) return *same;
      break;  // answered by another process (or forgotten): sign the same claims again
    case AuthRepository::Rotation::kReused:
      spdlog::warn("auth: reuse of a rotated refresh token for user {}; session revoked", rotation.user_id);
      return bad_refresh();
    case AuthRepository::Rotation::kExpired:
      return make_error(ErrorCode::kUnauthorized, "Refresh token has expired", "NotAuthorizedException");
    case AuthRepository::Rotation::kUnknown:
      return bad_refresh();
  }
  auto user = repo_.find_by_id(rotation.user_id);
  if (!user || !user->confirmed) {
    repo_.revoke_family_of(refresh_hash(t.refresh_token));
    return bad_refresh();
  }
  // Issued "at" the rotation, with a jti derived from the new token: a retry's claims are identical.
  const int64_t issued_s = rotation.used_at_ms / 1000;
  t.access_token = signer_.access_token(*user, issued_s, jti_for(t.refresh_token));
  t.id_token = signer_.id_token(*user, issued_s);
  t.expires_in = kAccessTokenSeconds;
  remember_refresh(old_hash, t, rotation.used_at_ms);
  return t;
}

std::optional<Tokens> AuthService::recent_refresh(const std::string& old_hash) {
  std::lock_guard lock(recent_mutex_);
  auto it = recent_refreshes_.find(old_hash);
  if (it == recent_refreshes_.end()) return std::nullopt;
  return it->second.second;
}

void AuthService::remember_refresh(const std::string& old_hash, const Tokens& tokens, int64_t rotated_at_ms) {
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(recent_mutex_);
  if (recent_refreshes_.size() >= 1024) {
    std::erase_if(recent_refreshes_, [&](const auto& kv) { return now - kv.second.first > kRefreshRetryGraceMs; });
    // Only an optimisation (a retry re-signs the same claims): never let it grow.
    if (recent_refreshes_.size() >= 4096) recent_refreshes_.clear();
  }
  recent_refreshes_.try_emplace(old_hash, rotated_at_ms, tokens);
}

Status AuthService::logout(const std::string& refresh_token) {
  // Without a token there is nothing to revoke (the original's client-side logout).
  if (refresh_token.empty() || refresh_token.size() > 256) return ok_status();
  repo_.revoke_family_of(refresh_hash(refresh_token));
  return ok_status();
}

Status AuthService::ensure_admin(const std::string& email_in, const std::string& password, bool promote_existing) {
  std::string email = normalize_email(email_in);
  if (!valid_email(email)) return bad_request("Invalid email address", "InvalidParameterException");
  if (!valid_password(password) || password.size() > kMaxPasswordBytes) return weak_password();
  const int64_t now = clock_.now_ms();
  auto existing = repo_.find_by_email(email);
  if (!existing) {
    User user;
    user.id = crypto::uuid4();
    user.email = email;
    user.password_hash = hasher_.hash(password, operator_ticket());
    user.confirmed = true;
    user.groups = {"admin"};
    user.created_at_ms = now;
    if (repo_.insert_user(user)) {
      spdlog::info("auth: admin account {} created", email);
      return ok_status();
    }
    existing = repo_.find_by_email(email);  // created concurrently (another process starting)
    if (!existing) return internal_error();
  }
  if (!promote_existing) {
    // Bootstrap never takes over an account someone else registered.
    if (!existing->is_admin())
      spdlog::warn("auth: bootstrap admin {} exists as a non-admin account; left unchanged", email);
    return ok_status();
  }
  repo_.promote_to_admin(existing->id, hasher_.hash(password, operator_ticket()), now);
  spdlog::info("auth: account {} is now a confirmed admin", email);
  return ok_status();
}

int64_t AuthService::purge_expired() {
  const int64_t now = clock_.now_ms();
  return repo_.purge_expired_refresh_tokens(now) + repo_.purge_pending_users(now - kPendingLifetimeMs);
}

}  // namespace cloudretail::auth
