#include "http/peer_call.hpp"

#include "core/json_read.hpp"
#include "core/money.hpp"
#include "core/percent_encode.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace cloudretail::http {

Peer::Peer(std::string base_url, std::string service_token, std::string unavailable_message)
    : client_(std::make_unique<HttpClient>(std::move(base_url), 32)),
      service_token_(std::move(service_token)),
      unavailable_message_(std::move(unavailable_message)) {}

Result<PeerReply> Peer::call(Method method, const std::string& target, std::string body, bool idempotent) {
  ClientRequest req;
  req.method = method;
  req.target = target;
  req.body = std::move(body);
  req.idempotent = idempotent;
  req.timeout = std::chrono::milliseconds(3000);
  if (!service_token_.empty()) req.headers.emplace_back("X-Service-Token", service_token_);
  auto res = client_->send(req);
  if (!res || res->status >= 500) return unavailable(unavailable_message_);
  PeerReply reply;
  reply.status = res->status;
  boost::system::error_code ec;
  auto v = parse_json_exact(res->body, ec);  // money in peer answers stays exact
  if (!ec && v.is_object()) reply.body = std::move(v.as_object());
  return reply;
}

Error Peer::error_from(const PeerReply& reply) {
  ErrorCode code = ErrorCode::kBadRequest;
  switch (reply.status) {
    case 401:
      code = ErrorCode::kUnauthorized;
      break;
    case 403:
      code = ErrorCode::kForbidden;
      break;
    case 404:
      code = ErrorCode::kNotFound;
      break;
    case 409:
      code = ErrorCode::kConflict;
      break;
    case 413:
      code = ErrorCode::kPayloadTooLarge;
      break;
    case 422:
      code = ErrorCode::kUnprocessable;
      break;
    case 429:
      code = ErrorCode::kTooManyRequests;
      break;
    default:
      break;
  }
  Error e;
  e.code = code;
  if (auto it = reply.body.find("message"); it != reply.body.end() && it->value().is_string())
    e.message = std::string(it->value().get_string());
  if (auto it = reply.body.find("error"); it != reply.body.end() && it->value().is_string())
    e.name = std::string(it->value().get_string());
  for (const auto& kv : reply.body) {
    if (kv.key() == "message" || kv.key() == "error") continue;
    // Keep money exact: 29.99 stays 29.99, not Boost's 2.999E1.
    auto money = kv.value().is_double() ? money_from_json(kv.value()) : std::nullopt;
    e.fields.emplace_back(std::string(kv.key()), money ? format_money(*money) : boost::json::serialize(kv.value()));
  }
  return e;
}

std::string encode_segment(std::string_view s) { return percent_encode(s); }

}  // namespace cloudretail::http
