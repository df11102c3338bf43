#include "payment/payment_codec.hpp"

#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "core/money.hpp"

namespace cloudretail::payment {

std::string write_refund_request(const RefundRequest& r) {
  JsonWriter w;
  w.begin_object()
      .field("orderId", r.order_id)
      .field("userId", r.user_id)
      .money_field("amount", r.amount_minor)
      .field("currency", r.currency)
      .end_object();
  return w.take();
}

Result<RefundRequest> read_refund_request(const boost::json::object& body) {
  auto order_id = json_string(body, "orderId");
  auto user_id = json_string(body, "userId");
  auto currency = json_string(body, "currency");
  auto amount_it = body.find("amount");
  std::optional<int64_t> amount;
  if (amount_it != body.end()) amount = money_from_json(amount_it->value());
  if (!order_id || !user_id || !currency || !amount)
    return bad_request("orderId, userId, amount and currency are required", "InvalidParameter");
  return RefundRequest{*order_id, *user_id, *amount, *currency};
}

std::string write_refund_record(const RefundRecord& r) {
  JsonWriter w;
  w.begin_object()
      .field("paymentId", r.payment_id)
      .money_field("amount", r.amount_minor)
      .field("currency", r.currency)
      .field("status", to_string(r.status))
      .end_object();
  return w.take();
}

std::optional<RefundRecord> read_refund_record(const boost::json::object& o) {
  RefundRecord r;
  r.payment_id = json_string(o, "paymentId").value_or("");
  r.currency = json_string(o, "currency").value_or("");
  auto status = parse_payment_status(json_string(o, "status").value_or(""));
  auto amount = o.find("amount");
  if (r.payment_id.empty() || !status || amount == o.end()) return std::nullopt;
  r.status = *status;
  // The amount is negative: read it as the money it is.
  if (amount->value().is_number()) {
    boost::json::value positive = amount->value();
    if (positive.is_int64())
      positive = -positive.as_int64();
    else if (positive.is_double())
      positive = -positive.as_double();
    auto minor = money_from_json(positive);
    if (!minor) return std::nullopt;
    r.amount_minor = -*minor;
  }
  return r;
}

}  // namespace cloudretail::payment
