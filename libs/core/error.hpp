#pragma once
/// The error vocabulary shared by every service. One table (http/error_mapping)
/// turns an ErrorCode into an HTTP status; the contract's body is
/// {"message": ..., "error": name} plus any extra fields.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudretail {

enum class ErrorCode {
  kBadRequest,        // 400
  kUnauthorized,      // 401
  kForbidden,         // 403
  kNotFound,          // 404
  kMethodNotAllowed,  // 405
  kConflict,          // 409
  kPayloadTooLarge,   // 413
  kUnprocessable,     // 422
  kTooManyRequests,   // 429
  kUnavailable,       // 503
  kInternal,          // 500, never with internals in the message
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  /// The contract's `error` field (e.g. "CodeMismatchException"); empty = omitted.
  std::string name;
  /// Extra fields written beside message/error (e.g. productId, availableQty),
  /// each as already-serialized JSON so money keeps its exact form.
  std::vector<std::pair<std::string, std::string>> fields;
  /// Seconds for a Retry-After header (429); empty = none.
  std::string retry_after;

  Error& with_string(std::string key, std::string_view value);
  Error& with_number(std::string key, int64_t value);
  Error& with_money(std::string key, int64_t minor_units);
  /// `json` must be valid serialized JSON (an array or object built by JsonWriter).
  Error& with_raw(std::string key, std::string json);
};

inline Error make_error(ErrorCode code, std::string message, std::string name = {}) {
  return Error{code, std::move(message), std::move(name), {}, {}};
}
inline Error bad_request(std::string message, std::string name = {}) {
  return make_error(ErrorCode::kBadRequest, std::move(message), std::move(name));
}
inline Error not_found(std::string message, std::string name = {}) {
  return make_error(ErrorCode::kNotFound, std::move(message), std::move(name));
}
inline Error conflict(std::string message, std::string name = {}) {
  return make_error(ErrorCode::kConflict, std::move(message), std::move(name));
}
inline Error forbidden(std::string message = "Forbidden", std::string name = "Forbidden") {
  return make_error(ErrorCode::kForbidden, std::move(message), std::move(name));
}
inline Error unauthorized(std::string message = "Unauthorized", std::string name = "Unauthorized") {
  return make_error(ErrorCode::kUnauthorized, std::move(message), std::move(name));
}
inline Error unavailable(std::string message) {
  return make_error(ErrorCode::kUnavailable, std::move(message), "ServiceUnavailable");
}
inline Error internal_error() { return make_error(ErrorCode::kInternal, "Internal server error", "InternalError"); }

/// HTTP status for an error code; the one mapping table.
int http_status(ErrorCode code);

}  // namespace cloudretail
