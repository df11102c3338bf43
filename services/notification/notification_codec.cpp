#include "notification/notification_codec.hpp"

#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "core/money.hpp"

namespace cloudretail::notification {

std::string_view email_type_name(EmailType t) {
  switch (t) {
    case EmailType::kUserRegistered:
      return "user-registered";
    case EmailType::kOrderConfirmed:
      return "order-confirmed";
    case EmailType::kPaymentFailed:
      return "payment-failed";
    case EmailType::kVerificationCode:
      return "verification-code";
    case EmailType::kOrderShipped:
      return "order-shipped";
    case EmailType::kOrderRefunded:
      return "order-refunded";
    case EmailType::kPasswordResetCode:
      return "password-reset-code";
  }
  return "unknown";
}

namespace {

bool carries_money(EmailType type) { return type == EmailType::kOrderConfirmed || type == EmailType::kOrderRefunded; }

// A string field, or a number for ids callers may send unquoted; "" when absent.
Result<std::string> text_field(const boost::json::object& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || it->value().is_null()) return std::string();
  if (it->value().is_string()) return std::string(it->value().as_string());
  if (it->value().is_int64()) return std::to_string(it->value().as_int64());
  if (it->value().is_uint64()) return std::to_string(it->value().as_uint64());
  return bad_request(std::string(key) + " must be a string", "ValidationError");
}

}  // namespace

std::string write_email_request(const EmailRequest& r) {
  JsonWriter w;
  w.begin_object().field("email", r.email).field("userId", r.user_id);
  if (!r.order_id.empty()) w.field("orderId", r.order_id);
  if (carries_money(r.type)) w.money_field("amount", r.amount_minor).field("currency", r.currency);
  if (!r.tracking_number.empty()) w.field("trackingNumber", r.tracking_number);
  if (!r.code.empty()) w.field("code", r.code);
  w.end_object();
  return w.take();
}

Result<EmailRequest> read_email_request(EmailType type, const boost::json::object& body) {
  EmailRequest r;
  r.type = type;
  for (auto [key, target] : {std::pair<std::string_view, std::string*>{"email", &r.email},
                             {"userId", &r.user_id},
                             {"orderId", &r.order_id},
                             {"currency", &r.currency},
                             {"code", &r.code},
                             {"trackingNumber", &r.tracking_number}}) {
    auto v = text_field(body, key);
    if (!v) return v.error();
    *target = std::move(*v);
  }
  if (carries_money(type)) {
    auto it = body.find("amount");
    if (it == body.end() || it->value().is_null()) return bad_request("amount is required", "ValidationError");
    auto minor = money_from_json(it->value());
    if (!minor || *minor < 0) return bad_request("amount is invalid", "ValidationError");
    r.amount_minor = *minor;
  }
  return r;
}

int outcome_status(const NotificationOutcome& o) { return o.delivered ? 200 : 202; }

std::string write_outcome(const NotificationOutcome& o) {
  JsonWriter w;
  w.begin_object()
      .field("message", o.delivered ? "Notification sent" : "Notification queued")
      .field("type", o.type)
      .field("toEmail", o.to_email)
      .end_object();
  return w.take();
}

NotificationOutcome read_outcome(int status, const boost::json::object& body, const EmailRequest& sent) {
  NotificationOutcome out;
  out.delivered = status == 200;
  out.type = json_string(body, "type").value_or(std::string(email_type_name(sent.type)));
  out.to_email = json_string(body, "toEmail").value_or(sent.email);
  return out;
}

}  // namespace cloudretail::notification
