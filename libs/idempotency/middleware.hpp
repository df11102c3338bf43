#pragma once
/// The Idempotency-Key middleware for POST routes (checkout, payments). Without the
/// header the handler simply runs. With it, the first request claims the key; a
/// repeat with the same method, path and body replays the stored response (header
/// `Idempotent-Replayed: true`), another request with the key gets 422
/// IdempotencyKeyMismatch, and a repeat while the first still runs gets 409
/// IdempotencyKeyInUse. Server-side failures (5xx, exceptions) are not remembered:
/// the client may retry them.
#include <functional>
#include <string_view>

#include "core/result.hpp"
#include "http/request.hpp"
#include "idempotency/key_store.hpp"

namespace cloudretail::idempotency {

/// Keys longer than this are refused with 400.
inline constexpr size_t kMaxKeyLength = 255;

/// Runs `handler` under the request's Idempotency-Key (if any), in `scope` (the
/// caller's user id): a route calls it once it knows who is calling. The handler's
/// Error becomes its answer here (Response::from_error), because a 4xx is remembered
/// and replayed like any other answer.
http::Response run_idempotent(KeyStore& store, const http::Request& request, std::string_view scope,
                              const std::function<Result<http::Response>()>& handler);

}  // namespace cloudretail::idempotency
