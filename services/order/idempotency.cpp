#include "order/idempotency.hpp"

#include "core/crypto.hpp"

namespace cloudretail::order {

db::Migration IdempotencyStore::migration(const std::string& service, int version, const std::string& table) {
  return {service, version,
          "CREATE TABLE " + table +
              " (scope TEXT NOT NULL, idem_key TEXT NOT NULL, request_hash TEXT NOT NULL, status TEXT NOT NULL,"
              " response_status BIGINT, response_body TEXT, created_at BIGINT NOT NULL,"
              " PRIMARY KEY (scope, idem_key));"
              "CREATE INDEX " + table + "_created ON " + table + " (created_at)",
          ""};
}

IdempotencyStore::Claim IdempotencyStore::claim(const std::string& scope, const std::string& key,
                                                const std::string& request_hash) {
  const int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  // An expired key, or one left in_progress by a process that died, may be taken again.
  conn->execute("DELETE FROM " + table_ +
                    " WHERE scope = ? AND idem_key = ? AND (created_at < ? OR (status = 'in_progress' AND created_at < ?))",
                scope, key, now - kKeepMs, now - kStaleInProgressMs);
  int64_t claimed = conn->execute("INSERT INTO " + table_ +
                                      " (scope, idem_key, request_hash, status, created_at) VALUES (?, ?, ?, 'in_progress', ?)"
                                      " ON CONFLICT (scope, idem_key) DO NOTHING",
                                  scope, key, request_hash, now);
  if (claimed == 1) return {ClaimKind::kClaimed, 0, {}};
  auto rows = conn->query("SELECT request_hash, status, response_status, response_body FROM " + table_ +
                              " WHERE scope = ? AND idem_key = ?",
                          scope, key);
  if (rows.empty()) return {ClaimKind::kInProgress, 0, {}};  // deleted between the two statements: let the client retry
  const auto& r = rows.first();
  if (r.text(0) != request_hash) return {ClaimKind::kMismatch, 0, {}};
  if (r.text(1) != "done") return {ClaimKind::kInProgress, 0, {}};
  return {ClaimKind::kReplay, static_cast<int>(r.int64(2)), r.text(3)};
}

void IdempotencyStore::complete(const std::string& scope, const std::string& key, int status, const std::string& body) {
  auto conn = db_.acquire();
  conn->execute("UPDATE " + table_ +
                    " SET status = 'done', response_status = ?, response_body = ? WHERE scope = ? AND idem_key = ?",
                int64_t{status}, body, scope, key);
}

void IdempotencyStore::abandon(const std::string& scope, const std::string& key) {
  auto conn = db_.acquire();
  conn->execute("DELETE FROM " + table_ + " WHERE scope = ? AND idem_key = ? AND status = 'in_progress'", scope, key);
}

void IdempotencyStore::purge_expired() {
  auto conn = db_.acquire();
  conn->execute("DELETE FROM " + table_ + " WHERE created_at < ?", clock_.now_ms() - kKeepMs);
}

http::Response run_idempotent(IdempotencyStore& store, const http::Request& request, const std::string& scope,
                              const std::function<http::Response()>& handler) {
  std::string key(request.header("Idempotency-Key"));
  if (key.empty()) return handler();
  if (key.size() > 255)
    return http::Response::from_error(bad_request("Idempotency-Key is too long", "InvalidParameterException"));
  const std::string hash =
      crypto::sha256_hex(std::string(http::method_name(request.method)) + " " + request.path + "\n" + request.body);
  auto claim = store.claim(scope, key, hash);
  switch (claim.kind) {
    case IdempotencyStore::ClaimKind::kReplay: {
      auto r = http::Response::json(claim.status, claim.body);
      r.headers.emplace_back("Idempotent-Replayed", "true");
      return r;
    }
    case IdempotencyStore::ClaimKind::kMismatch:
      return http::Response::from_error(make_error(
          ErrorCode::kUnprocessable, "Idempotency-Key was already used with a different request", "IdempotencyKeyMismatch"));
    case IdempotencyStore::ClaimKind::kInProgress:
      return http::Response::from_error(
          conflict("A request with this Idempotency-Key is still being processed", "IdempotencyKeyInUse"));
    case IdempotencyStore::ClaimKind::kClaimed:
      break;
  }
  http::Response response;
  try {
    response = handler();
  } catch (...) {
    store.abandon(scope, key);
    throw;
  }
  // Server-side failures are not remembered: the client may retry them.
  if (response.status >= 500)
    store.abandon(scope, key);
  else
    store.complete(scope, key, response.status, response.body);
  return response;
}

}  // namespace cloudretail::order
