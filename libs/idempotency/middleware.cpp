#include "idempotency/middleware.hpp"

#include "core/crypto.hpp"

namespace cloudretail::idempotency {

namespace {
/// The same key with another method, path or body is another request.
std::string request_hash(const http::Request& request) {
  return crypto::sha256_hex(std::string(http::method_name(request.method)) + " " + request.path + "\n" + request.body);
}

http::Response answer_of(Result<http::Response> result) {
  if (!result) return http::Response::from_error(result.error());
  return std::move(result).value();
}
}  // namespace

http::Response run_idempotent(KeyStore& store, const http::Request& request, std::string_view scope_view,
                              const std::function<Result<http::Response>()>& handler) {
  const std::string key(request.header("Idempotency-Key"));
  if (key.empty()) return answer_of(handler());
  if (key.size() > kMaxKeyLength)
    return http::Response::from_error(bad_request("Idempotency-Key is too long", "InvalidParameterException"));
  const std::string scope(scope_view);
  auto claim = store.claim(scope, key, request_hash(request));
  switch (claim.kind) {
    case ClaimKind::kReplay: {
      auto r = http::Response::json(claim.status, claim.body);
      r.headers.emplace_back("Idempotent-Replayed", "true");
      return r;
    }
    case ClaimKind::kMismatch:
      return http::Response::from_error(make_error(ErrorCode::kUnprocessable,
                                                   "Idempotency-Key was already used with a different request",
                                                   "IdempotencyKeyMismatch"));
    case ClaimKind::kInProgress:
      return http::Response::from_error(
          conflict("A request with this Idempotency-Key is still being processed", "IdempotencyKeyInUse"));
    case ClaimKind::kClaimed:
      break;
  }
  http::Response response;
  try {
    response = answer_of(handler());
  } catch (...) {
    store.abandon(scope, key);
    throw;
  }
  if (response.status >= 500)
    store.abandon(scope, key);
  else
    store.complete(scope, key, response.status, response.body);
  return response;
}

}  // namespace cloudretail::idempotency
