#pragma once
/// The request and response types handlers see. No Beast here: the server
/// converts to and from the wire, so services compile without Boost.Beast.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace cloudretail::http {

enum class Method { kGet, kPost, kPut, kDelete, kPatch, kOptions, kHead, kOther };
std::string_view method_name(Method m);
Method parse_method(std::string_view name);

/// Who is calling, established by the route's guard before the handler runs.
struct Principal {
  std::string user_id;  // token `sub`; empty for service calls and public routes
  std::string email;    // token `email`: the account's confirmed address, lower case
  std::vector<std::string> groups;
  bool is_admin = false;
  bool is_service = false;  // authenticated by X-Service-Token
  bool authenticated() const { return !user_id.empty() || is_service; }
};

struct Request {
  Method method = Method::kGet;
  std::string path;  // without API_BASE_PATH and query, percent-decoded per segment by router
  std::string body;
  std::vector<std::pair<std::string, std::string>> query;              // decoded
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // valid during the call
  std::vector<std::pair<std::string_view, std::string>> params;        // path parameters
  std::string request_id;
  std::string remote_ip;
  Principal principal;

  /// Case-insensitive header lookup; "" when absent.
  std::string_view header(std::string_view name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  /// A path parameter by name ("" when absent).
  const std::string& param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(int status, std::string body);
  /// {"message": msg}
  static Response message(int status, std::string_view msg);
  /// The contract's error body for an Error, with its status.
  static Response from_error(const Error& error);
};

}  // namespace cloudretail::http
