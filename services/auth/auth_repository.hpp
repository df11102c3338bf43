#pragma once
/// The only code that runs SQL for identity: users (with their pending
/// verification code) and refresh tokens (stored as sha256, grouped in families
/// so a reused token revokes its whole chain).
#include <optional>
#include <string>
#include <vector>

#include "auth/auth_types.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"

namespace cloudretail::auth {

/// services/auth/migrations/*.sql, compiled in by cloudretail_service_migrations
/// (libs/db/migrations.cmake).
std::span<const db::MigrationFile> migration_files();

class AuthRepository {
 public:
  explicit AuthRepository(db::Database& db) : db_(db) {}

  /// The auth tables for `dialect`: migrations/*.sql.
  static std::vector<db::Migration> migrations(db::Dialect dialect);

  std::optional<User> find_by_email(const std::string& email);
  std::optional<User> find_by_id(const std::string& id);
  /// False when the email is taken.
  bool insert_user(const User& user);
  /// Replaces an unconfirmed registration of `user.email` (new id, password and code;
  /// the old code stops working); false when the email is unknown or confirmed.
  bool replace_pending(const User& user);
  /// A new password-reset code (hash) with a fresh attempt budget.
  void set_reset_code(const std::string& user_id, const std::string& code_hash, int64_t expires_at_ms, int64_t now_ms);
  /// Spends one attempt on the pending reset code; false when the budget is used up.
  bool take_reset_attempt(const std::string& user_id, int max_attempts);
  /// Sets the password when `code_hash` is still the pending reset code, confirms the
  /// account and revokes all its refresh tokens, in one transaction; false otherwise.
  bool reset_password(const std::string& user_id, const std::string& code_hash, const std::string& password_hash,
                      int64_t now_ms);
  /// Replaces `old_hash` by `new_hash` and revokes all refresh tokens; false when the
  /// password changed meanwhile.
  bool change_password(const std::string& user_id, const std::string& old_hash, const std::string& new_hash,
                       int64_t now_ms);
  /// Deletes unconfirmed accounts whose last code was sent before the given time.
  int64_t purge_pending_users(int64_t last_code_before_ms);
  /// A new verification code (hash) with a fresh attempt budget.
  void set_code(const std::string& user_id, const std::string& code_hash, int64_t expires_at_ms, int64_t now_ms);
  /// Spends one attempt on the pending code; false when the budget is used up.
  bool take_code_attempt(const std::string& user_id, int max_attempts);
  /// Confirms the user when `code_hash` is still the pending one; false otherwise.
  bool confirm_with_code(const std::string& user_id, const std::string& code_hash, int64_t now_ms);
  /// Operator action (`cloudretail admin create` on an existing account).
  void promote_to_admin(const std::string& user_id, const std::string& password_hash, int64_t now_ms);

  void insert_refresh_token(const std::string& token_hash, const std::string& family_id, const std::string& user_id,
                            int64_t expires_at_ms, int64_t now_ms);

  struct Rotation {
    /// kRetried: the token was rotated less than `retry_grace_ms` ago; the caller
    /// answers with that same rotation's tokens (new_hash is already stored).
    enum Kind { kRotated, kRetried, kUnknown, kExpired, kReused } kind = kUnknown;
    std::string user_id;
    std::string family_id;
    int64_t used_at_ms = 0;  // when the token was rotated (kRotated, kRetried)
  };
  /// Marks `old_hash` used and stores `new_hash` in the same family with the same
  /// expiry, in one transaction. `new_hash` must be derived from the old token, so a
  /// retry computes the same one. A token used more than `retry_grace_ms` ago, or
  /// revoked, revokes its family.
  Rotation rotate_refresh_token(const std::string& old_hash, const std::string& new_hash, int64_t now_ms,
                                int64_t retry_grace_ms);
  /// Revokes the family of the token; false when the token is unknown.
  bool revoke_family_of(const std::string& token_hash);
  /// Deletes refresh tokens past their expiry; returns how many.
  int64_t purge_expired_refresh_tokens(int64_t now_ms);

 private:
  db::Database& db_;
};

}  // namespace cloudretail::auth
