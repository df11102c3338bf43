#pragma once
/// Idempotency-Key support for POST routes (checkout, payments): keys scoped to
/// the caller, kept 24 h. The first request claims the key atomically (INSERT ...
/// ON CONFLICT DO NOTHING); a repeat with the same body replays the stored
/// response, another body gets 422 IdempotencyKeyMismatch, and a repeat while
/// the first still runs gets 409 IdempotencyKeyInUse. Each service keeps its keys
/// in its own table (name given at construction).
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "http/request.hpp"

namespace cloudretail::order {

class IdempotencyStore {
 public:
  static constexpr int64_t kKeepMs = 24LL * 3600 * 1000;
  /// An in_progress row this old is taken to be from a process that died.
  static constexpr int64_t kStaleInProgressMs = 120'000;

  IdempotencyStore(db::Database& db, std::string table, const Clock& clock)
      : db_(db), table_(std::move(table)), clock_(clock) {}

  enum class ClaimKind { kClaimed, kReplay, kMismatch, kInProgress };
  struct Claim {
    ClaimKind kind = ClaimKind::kClaimed;
    int status = 0;
    std::string body;
  };
  Claim claim(const std::string& scope, const std::string& key, const std::string& request_hash);
  void complete(const std::string& scope, const std::string& key, int status, const std::string& body);
  void abandon(const std::string& scope, const std::string& key);
  /// Deletes keys older than 24 h.
  void purge_expired();

  static db::Migration migration(const std::string& service, int version, const std::string& table);

 private:
  db::Database& db_;
  std::string table_;
  const Clock& clock_;
};

/// Runs `handler` under the request's Idempotency-Key (if any) for `scope`.
http::Response run_idempotent(IdempotencyStore& store, const http::Request& request, const std::string& scope,
                              const std::function<http::Response()>& handler);

}  // namespace cloudretail::order
