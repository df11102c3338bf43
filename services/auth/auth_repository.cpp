#include "auth/auth_repository.hpp"

#include <sstream>

namespace cloudretail::auth {

namespace {

constexpr const char* kUserColumns =
    "id, email, password_hash, confirmed, groups_csv, code_hash, code_expires_at, code_attempts, created_at,"
    " reset_code_hash, reset_expires_at";

std::vector<std::string> split_groups(const std::string& csv) {
  std::vector<std::string> out;
  std::stringstream ss(csv);
  std::string g;
  while (std::getline(ss, g, ','))
    if (!g.empty()) out.push_back(g);
  return out;
}

std::string join_groups(const std::vector<std::string>& groups) {
  std::string out;
  for (const auto& g : groups) {
    if (!out.empty()) out += ',';
    out += g;
  }
  return out;
}

User to_user(const db::Row& r) {
  User u;
  u.id = r.text(0);
  u.email = r.text(1);
  u.password_hash = r.text(2);
  u.confirmed = r.int64(3) != 0;
  u.groups = split_groups(r.text(4));
  u.code_hash = r.opt_text(5);
  u.code_expires_at_ms = r.int64(6);
  u.code_attempts = static_cast<int>(r.int64(7));
  u.created_at_ms = r.int64(8);
  u.reset_code_hash = r.opt_text(9);
  u.reset_expires_at_ms = r.int64(10);
  return u;
}

}  // namespace

std::vector<db::Migration> AuthRepository::migrations(db::Dialect dialect) {
  return db::migrations_for("auth", migration_files(), dialect);
}

std::optional<User> AuthRepository::find_by_email(const std::string& email) {
  auto conn = db_.acquire();
  auto rows = conn->query(std::string("SELECT ") + kUserColumns + " FROM auth_users WHERE email = ?", email);
  if (rows.empty()) return std::nullopt;
  return to_user(rows.first());
}

std::optional<User> AuthRepository::find_by_id(const std::string& id) {
  auto conn = db_.acquire();
  auto rows = conn->query(std::string("SELECT ") + kUserColumns + " FROM auth_users WHERE id = ?", id);
  if (rows.empty()) return std::nullopt;
  return to_user(rows.first());
}

bool AuthRepository::insert_user(const User& u) {
  auto conn = db_.acquire();
  // ON CONFLICT DO NOTHING: a taken email (even by a concurrent request) is 0 rows, not an exception.
  auto n = conn->execute(
      "INSERT INTO auth_users (id, email, password_hash, confirmed, groups_csv, code_hash, code_expires_at,"
      " code_attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING",
      u.id, u.email, u.password_hash, u.confirmed, join_groups(u.groups), u.code_hash, u.code_expires_at_ms,
      u.created_at_ms, u.created_at_ms);
  return n == 1;
}

bool AuthRepository::replace_pending(const User& u) {
  auto conn = db_.acquire();
  // Conditional: an account confirmed meanwhile is never overwritten.
  return conn->execute(
             "UPDATE auth_users SET id = ?, password_hash = ?, code_hash = ?, code_expires_at = ?, code_attempts = 0,"
             " reset_code_hash = NULL, reset_attempts = 0, created_at = ?, updated_at = ?"
             " WHERE email = ? AND confirmed = 0",
             u.id, u.password_hash, u.code_hash, u.code_expires_at_ms, u.created_at_ms, u.created_at_ms, u.email) == 1;
}

void AuthRepository::set_reset_code(const std::string& user_id, const std::string& code_hash, int64_t expires_at_ms,
                                    int64_t now_ms) {
  auto conn = db_.acquire();
  conn->execute(
      "UPDATE auth_users SET reset_code_hash = ?, reset_expires_at = ?, reset_attempts = 0, updated_at = ?"
      " WHERE id = ?",
      code_hash, expires_at_ms, now_ms, user_id);
}

bool AuthRepository::take_reset_attempt(const std::string& user_id, int max_attempts) {
  auto conn = db_.acquire();
  return conn->execute(
             "UPDATE auth_users SET reset_attempts = reset_attempts + 1 WHERE id = ? AND reset_attempts < ?"
             " AND reset_code_hash IS NOT NULL",
             user_id, max_attempts) == 1;
}

bool AuthRepository::reset_password(const std::string& user_id, const std::string& code_hash,
                                    const std::string& password_hash, int64_t now_ms) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  // The code proved the address: the account is confirmed and any verification code dropped.
  if (conn->execute("UPDATE auth_users SET password_hash = ?, confirmed = 1, code_hash = NULL, code_attempts = 0,"
                    " reset_code_hash = NULL, reset_attempts = 0, updated_at = ? WHERE id = ? AND reset_code_hash = ?",
                    password_hash, now_ms, user_id, code_hash) != 1)
    return false;
  conn->execute("UPDATE auth_refresh_tokens SET revoked = 1 WHERE user_id = ?", user_id);
  tx.commit();
  return true;
}

bool AuthRepository::change_password(const std::string& user_id, const std::string& old_hash,
                                     const std::string& new_hash, int64_t now_ms) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  // Conditional on the hash the old password was checked against: a concurrent reset wins.
  if (conn->execute("UPDATE auth_users SET password_hash = ?, reset_code_hash = NULL, updated_at = ?"
                    " WHERE id = ? AND password_hash = ?",
                    new_hash, now_ms, user_id, old_hash) != 1)
    return false;
  conn->execute("UPDATE auth_refresh_tokens SET revoked = 1 WHERE user_id = ?", user_id);
  tx.commit();
  return true;
}

int64_t AuthRepository::purge_pending_users(int64_t last_code_before_ms) {
  auto conn = db_.acquire();
  return conn->execute("DELETE FROM auth_users WHERE confirmed = 0 AND updated_at < ?", last_code_before_ms);
}

void AuthRepository::set_code(const std::string& user_id, const std::string& code_hash, int64_t expires_at_ms,
                              int64_t now_ms) {
  auto conn = db_.acquire();
  conn->execute(
      "UPDATE auth_users SET code_hash = ?, code_expires_at = ?, code_attempts = 0, updated_at = ? WHERE id = ?",
      code_hash, expires_at_ms, now_ms, user_id);
}

bool AuthRepository::take_code_attempt(const std::string& user_id, int max_attempts) {
  auto conn = db_.acquire();
  // One conditional statement: concurrent guesses cannot exceed the budget.
  return conn->execute(
             "UPDATE auth_users SET code_attempts = code_attempts + 1 WHERE id = ? AND code_attempts < ?"
             " AND code_hash IS NOT NULL",
             user_id, max_attempts) == 1;
}

bool AuthRepository::confirm_with_code(const std::string& user_id, const std::string& code_hash, int64_t now_ms) {
  auto conn = db_.acquire();
  return conn->execute(
             "UPDATE auth_users SET confirmed = 1, code_hash = NULL, code_attempts = 0, updated_at = ?"
             " WHERE id = ? AND code_hash = ? AND confirmed = 0",
             now_ms, user_id, code_hash) == 1;
}

void AuthRepository::promote_to_admin(const std::string& user_id, const std::string& password_hash, int64_t now_ms) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  auto rows = conn->query("SELECT groups_csv FROM auth_users WHERE id = ?", user_id);
  if (rows.empty()) return;
  auto groups = split_groups(rows.first().text(0));
  bool has = false;
  for (const auto& g : groups) has = has || g == "admin";
  if (!has) groups.push_back("admin");
  conn->execute(
      "UPDATE auth_users SET groups_csv = ?, confirmed = 1, code_hash = NULL, password_hash = ?, updated_at = ?"
      " WHERE id = ?",
      join_groups(groups), password_hash, now_ms, user_id);
  tx.commit();
}

void AuthRepository::insert_refresh_token(const std::string& token_hash, const std::string& family_id,
                                          const std::string& user_id, int64_t expires_at_ms, int64_t now_ms) {
  auto conn = db_.acquire();
  conn->execute(
      "INSERT INTO auth_refresh_tokens (token_hash, family_id, user_id, expires_at, used_at, revoked, created_at)"
      " VALUES (?, ?, ?, ?, NULL, 0, ?)",
      token_hash, family_id, user_id, expires_at_ms, now_ms);
}

AuthRepository::Rotation AuthRepository::rotate_refresh_token(const std::string& old_hash, const std::string& new_hash,
                                                              int64_t now_ms, int64_t retry_grace_ms) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  const char* kRead =
      "SELECT family_id, user_id, expires_at, used_at, revoked FROM auth_refresh_tokens WHERE token_hash = ?";
  auto rows = conn->query(kRead, old_hash);
  Rotation out;
  if (rows.empty()) return out;  // kUnknown
  out.family_id = rows.first().text(0);
  out.user_id = rows.first().text(1);
  const int64_t expires_at = rows.first().int64(2);
  // A token used moments ago by a client that retried (or raced itself): the same
  // rotation again, not reuse, as long as the family still stands.
  auto retried = [&](const db::Row& r) {
    if (r.is_null(3) || r.int64(4) != 0 || now_ms - r.int64(3) > retry_grace_ms) return false;
    out.used_at_ms = r.int64(3);
    out.kind = Rotation::kRetried;
    return true;
  };
  auto reuse = [&] {
    // Reuse of a rotated (or revoked) token: someone holds a copy. Revoke the chain.
    conn->execute("UPDATE auth_refresh_tokens SET revoked = 1 WHERE family_id = ?", out.family_id);
    tx.commit();
    out.kind = Rotation::kReused;
    return out;
  };
  if (retried(rows.first())) return out;
  if (!rows.first().is_null(3) || rows.first().int64(4) != 0) return reuse();
  if (expires_at <= now_ms) {
    out.kind = Rotation::kExpired;
    return out;
  }
  // Conditional even inside the transaction, so PostgreSQL's READ COMMITTED cannot rotate twice.
  if (conn->execute(
          "UPDATE auth_refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked = 0", now_ms,
          old_hash) != 1) {
    // A concurrent refresh of the same token won (PostgreSQL): read what it wrote.
    auto again = conn->query(kRead, old_hash);
    if (!again.empty() && retried(again.first())) return out;
    return reuse();
  }
  // The family keeps its original expiry: a session lasts 30 days from login.
  conn->execute(
      "INSERT INTO auth_refresh_tokens (token_hash, family_id, user_id, expires_at, used_at, revoked, created_at)"
      " VALUES (?, ?, ?, ?, NULL, 0, ?)",
      new_hash, out.family_id, out.user_id, expires_at, now_ms);
  tx.commit();
  out.kind = Rotation::kRotated;
  out.used_at_ms = now_ms;
  return out;
}

bool AuthRepository::revoke_family_of(const std::string& token_hash) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  auto rows = conn->query("SELECT family_id FROM auth_refresh_tokens WHERE token_hash = ?", token_hash);
  if (rows.empty()) return false;
  conn->execute("UPDATE auth_refresh_tokens SET revoked = 1 WHERE family_id = ?", rows.first().text(0));
  tx.commit();
  return true;
}

int64_t AuthRepository::purge_expired_refresh_tokens(int64_t now_ms) {
  auto conn = db_.acquire();
  return conn->execute("DELETE FROM auth_refresh_tokens WHERE expires_at < ?", now_ms);
}

}  // namespace cloudretail::auth
