#include "payment/payment_routes.hpp"

#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "core/money.hpp"
#include "idempotency/middleware.hpp"
#include "payment/payment_codec.hpp"

namespace cloudretail::payment {

namespace {

void write_payment(JsonWriter& w, const PaymentRecord& p) {
  w.begin_object()
      .field("paymentId", p.payment_id)
      .field("orderId", p.order_id)
      .field("userId", p.user_id)
      .money_field("amount", p.amount_minor)
      .field("currency", p.currency)
      .field("status", to_string(p.status))
      .field("provider", p.provider)
      .field("createdAt", format_timestamp(p.created_at_ms))
      .end_object();
}

Caller caller_of(const http::Request& req) {
  return {req.principal.user_id, req.principal.is_admin || req.principal.is_service, req.principal.email};
}

}  // namespace

void register_routes(http::Router& router, PaymentService& service, idempotency::KeyStore& idempotency_keys) {
  auto pay = [&service, &idempotency_keys](http::Request& req) -> Result<http::Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    // The status is checked before anything else happens.
    auto st = json_string(*body, "status");
    auto outcome = st ? parse_payment_status(*st) : std::nullopt;  // what the mock provider said
    if (!outcome || *outcome == PaymentStatus::kRefunded)
      return bad_request("status must be SUCCESS or FAILED", "InvalidParameterException");
    auto order_id = json_string(*body, "orderId");
    if (!order_id || order_id->empty() || order_id->size() > 128)
      return bad_request("orderId is required", "InvalidParameterException");
    const bool success = *outcome == PaymentStatus::kSuccess;
    Caller caller = caller_of(req);
    return idempotency::run_idempotent(idempotency_keys, req, caller.user_id, [&]() -> Result<http::Response> {
      auto out = service.pay(caller, *order_id, success);
      if (!out) return out.error();
      JsonWriter w;
      w.begin_object().field("message", "Payment processed").key("payment");
      write_payment(w, out->payment);
      w.key("orderUpdate")
          .begin_object()
          .field("orderId", out->order.order_id)
          .field("status", order::to_string(out->order.status))
          .end_object();
      w.key("emailNotification").begin_object().field("attempted", out->email.attempted);
      if (out->email.attempted) {
        w.field("success", out->email.success);
        if (out->email.success)
          w.key("response")
              .begin_object()
              .field("message", out->email.delivered ? "Notification sent" : "Notification queued")
              .field("type", out->email.type)
              .field("toEmail", out->email.to_email)
              .end_object();
        else
          w.field("error", out->email.error);
      }
      w.end_object();
      w.key("inventoryRelease").begin_object().field("attempted", out->release.attempted);
      if (out->release.attempted) {
        w.field("success", out->release.success).key("released").begin_array();
        for (const auto& l : out->release.released)
          w.begin_object().field("productId", l.product_id).field("qty", l.qty).end_object();
        w.end_array();
        if (!out->release.success) w.field("error", out->release.error);
      }
      w.end_object().end_object();
      return http::Response::json(201, w.take());
    });
  };
  router.add(http::Method::kPost, "/payments", pay);

  router.add(http::Method::kGet, "/payments/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto p = service.get(caller_of(req), req.param("id"));
    if (!p) return p.error();
    JsonWriter w;
    write_payment(w, *p);
    return http::Response::json(200, w.take());
  });
}

void register_refund_route(http::Router& router, PaymentClient& payments) {
  auto record_refund = [&payments](http::Request& req) -> Result<http::Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto request = read_refund_request(*body);
    if (!request) return request.error();
    auto refund = payments.record_refund(request->order_id, request->user_id, request->amount_minor, request->currency);
    if (!refund) return refund.error();
    return http::Response::json(200, write_refund_record(*refund));
  };
  router.add(http::Method::kPost, "/internal/payments/refunds", record_refund);
}

}  // namespace cloudretail::payment
