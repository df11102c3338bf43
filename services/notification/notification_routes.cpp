#include "notification/notification_routes.hpp"

#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "core/money.hpp"

namespace cloudretail::notification {

namespace {

// A string field, or a number for ids callers may send unquoted; "" when absent.
Result<std::string> text_field(const boost::json::object& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || it->value().is_null()) return std::string();
  if (it->value().is_string()) return std::string(it->value().as_string());
  if (it->value().is_int64()) return std::to_string(it->value().as_int64());
  if (it->value().is_uint64()) return std::to_string(it->value().as_uint64());
  return bad_request(std::string(key) + " must be a string", "ValidationError");
}

Result<EmailRequest> parse_request(EmailType type, const std::string& raw) {
  auto body = parse_json_object(raw);
  if (!body) return body.error();
  EmailRequest r;
  r.type = type;
  for (auto [key, target] : {std::pair<std::string_view, std::string*>{"email", &r.email},
                             {"userId", &r.user_id},
                             {"orderId", &r.order_id},
                             {"currency", &r.currency},
                             {"code", &r.code},
                             {"trackingNumber", &r.tracking_number}}) {
    auto v = text_field(*body, key);
    if (!v) return v.error();
    *target = std::move(*v);
  }
  if (type == EmailType::kOrderConfirmed || type == EmailType::kOrderRefunded) {
    auto it = body->find("amount");
    if (it == body->end() || it->value().is_null())
      return bad_request("amount is required", "ValidationError");
    auto minor = money_from_json(it->value());
    if (!minor || *minor < 0) return bad_request("amount is invalid", "ValidationError");
    r.amount_minor = *minor;
  }
  return r;
}

http::Response answer(const NotificationOutcome& o) {
  JsonWriter w;
  w.begin_object()
      .field("message", o.delivered ? "Notification sent" : "Notification queued")
      .field("type", o.type)
      .field("toEmail", o.to_email)
      .end_object();
  return http::Response::json(o.delivered ? 200 : 202, w.take());
}

}  // namespace

void register_routes(http::Router& router, NotificationService& service) {
  for (EmailType type : {EmailType::kUserRegistered, EmailType::kOrderConfirmed, EmailType::kPaymentFailed,
                         EmailType::kVerificationCode, EmailType::kOrderShipped, EmailType::kOrderRefunded,
                         EmailType::kPasswordResetCode}) {
    router.add(http::Method::kPost, "/notifications/" + std::string(email_type_name(type)),
               [&service, type](http::Request& req) {
                 auto request = parse_request(type, req.body);
                 if (!request) return http::Response::from_error(request.error());
                 auto outcome = service.send(*request);
                 if (!outcome) return http::Response::from_error(outcome.error());
                 return answer(*outcome);
               });
  }
}

}  // namespace cloudretail::notification
