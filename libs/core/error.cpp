#include "core/error.hpp"

#include "core/json_writer.hpp"
#include "core/money.hpp"

namespace cloudretail {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Error& Error::with_string(std::string key, std::string_view value) {
  fields.emplace_back(std::move(key), json_quote(value));
  return *this;
}
Error& Error::with_number(std::string key, int64_t value) {
  fields.emplace_back(std::move(key), std::to_string(value));
  return *this;
}
Error& Error::with_money(std::string key, int64_t minor_units) {
  fields.emplace_back(std::move(key), format_money(minor_units));
  return *this;
}
Error& Error::with_raw(std::string key, std::string json) {
  fields.emplace_back(std::move(key), std::move(json));
  return *this;
}

}  // namespace cloudretail
