#include "remote/remote_clients.hpp"

#include "cart/cart_internal_routes.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "core/money.hpp"
#include "order/order_json.hpp"

namespace cloudretail::remote {

namespace {

inventory::StockLevel stock_from(const boost::json::object& o) {
  inventory::StockLevel s;
  s.product_id = json_string(o, "productId").value_or("");
  s.available_qty = json_int(o, "availableQty").value_or(0);
  s.reserved_qty = json_int(o, "reservedQty").value_or(0);
  if (auto at = json_string(o, "updatedAt")) s.updated_at_ms = parse_timestamp(*at);
  return s;
}

const boost::json::object* object_at(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return (it != o.end() && it->value().is_object()) ? &it->value().get_object() : nullptr;
}

}  // namespace

Result<inventory::StockLevel> HttpInventoryClient::get(const std::string& product_id) {
  auto reply = peer_.call(http::Method::kGet, "/inventory/" + encode_segment(product_id), {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  return stock_from(reply->body);
}

Result<inventory::StockLevel> HttpInventoryClient::move(const char* op, const std::string& product_id, int64_t qty,
                                                        const std::string& reservation_id) {
  JsonWriter w;
  w.begin_object().field("qty", qty);
  if (!reservation_id.empty()) w.field("reservationId", reservation_id);
  w.end_object();
  // Retrying is safe only with a reservation id (the peer makes it idempotent).
  auto reply = peer_.call(http::Method::kPost, "/inventory/" + encode_segment(product_id) + "/" + op, w.take(),
                          !reservation_id.empty());
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  const auto* inv = object_at(reply->body, "inventory");
  if (!inv) return unavailable(peer_.unavailable_message());
  return stock_from(*inv);
}

Result<inventory::StockLevel> HttpInventoryClient::reserve(const std::string& product_id, int64_t qty,
                                                           const std::string& reservation_id) {
  return move("reserve", product_id, qty, reservation_id);
}

Result<inventory::StockLevel> HttpInventoryClient::release(const std::string& product_id, int64_t qty,
                                                           const std::string& reservation_id) {
  return move("release", product_id, qty, reservation_id);
}

Result<inventory::StockLevel> HttpInventoryClient::ship(const std::string& product_id, int64_t qty,
                                                        const std::string& reservation_id) {
  return move("ship", product_id, qty, reservation_id);
}

Result<inventory::StockPage> HttpInventoryClient::list(const std::string& after, int limit) {
  std::string target = "/inventory?limit=" + std::to_string(limit);
  if (!after.empty()) target += "&nextToken=" + crypto::base64url_encode(after);
  auto reply = peer_.call(http::Method::kGet, target, {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  inventory::StockPage page;
  if (auto it = reply->body.find("items"); it != reply->body.end() && it->value().is_array())
    for (const auto& v : it->value().get_array())
      if (v.is_object()) page.items.push_back(stock_from(v.get_object()));
  if (auto next = json_string(reply->body, "nextToken")) {
    std::string decoded;
    if (!crypto::base64url_decode(*next, decoded)) return unavailable(peer_.unavailable_message());
    page.next_after = std::move(decoded);
  }
  return page;
}

Result<product::ProductSummary> HttpProductClient::get(const std::string& product_id) {
  auto reply = peer_.call(http::Method::kGet, "/products/" + encode_segment(product_id), {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  const auto& o = reply->body;
  product::ProductSummary p;
  p.product_id = json_string(o, "productId").value_or("");
  p.name = json_string(o, "name").value_or("");
  p.category = json_string(o, "category").value_or("");
  p.currency = json_string(o, "currency").value_or("");
  auto price = o.find("price");
  auto minor = price != o.end() ? money_from_json(price->value()) : std::nullopt;
  if (!minor) return unavailable(peer_.unavailable_message());
  p.price_minor = *minor;
  return p;
}

Result<notification::NotificationOutcome> HttpNotificationClient::send(const notification::EmailRequest& r) {
  JsonWriter w;
  w.begin_object().field("email", r.email).field("userId", r.user_id);
  if (!r.order_id.empty()) w.field("orderId", r.order_id);
  if (r.type == notification::EmailType::kOrderConfirmed || r.type == notification::EmailType::kOrderRefunded)
    w.money_field("amount", r.amount_minor).field("currency", r.currency);
  if (!r.tracking_number.empty()) w.field("trackingNumber", r.tracking_number);
  if (!r.code.empty()) w.field("code", r.code);
  w.end_object();
  auto reply = peer_.call(http::Method::kPost, "/notifications/" + std::string(notification::email_type_name(r.type)),
                          w.take());
  if (!reply) return std::move(reply).error();
  if (reply->status != 200 && reply->status != 202) return Peer::error_from(*reply);
  notification::NotificationOutcome out;
  out.delivered = reply->status == 200;
  out.type = json_string(reply->body, "type").value_or(std::string(notification::email_type_name(r.type)));
  out.to_email = json_string(reply->body, "toEmail").value_or(r.email);
  return out;
}

Result<cart::CartSnapshot> HttpCartClient::get(const std::string& user_id) {
  auto reply = peer_.call(http::Method::kGet, "/internal/cart/" + encode_segment(user_id), {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  cart::CartSnapshot snap;
  snap.user_id = json_string(reply->body, "userId").value_or(user_id);
  snap.version = json_int(reply->body, "version").value_or(0);
  if (auto at = json_string(reply->body, "updatedAt")) snap.updated_at_ms = parse_timestamp(*at);
  auto items = reply->body.find("items");
  auto lines = items != reply->body.end() ? cart::read_cart_lines(items->value()) : std::nullopt;
  if (!lines) return unavailable(peer_.unavailable_message());
  snap.items = std::move(*lines);
  return snap;
}

Result<bool> HttpCartClient::clear_if_version(const std::string& user_id, int64_t version,
                                              const std::string& taken_by) {
  JsonWriter w;
  w.begin_object().field("version", version).field("takenBy", taken_by).end_object();
  // Idempotent: a repeat finds the version moved on and answers false, as it should.
  auto reply = peer_.call(http::Method::kPost, "/internal/cart/" + encode_segment(user_id) + "/clear", w.take());
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  auto it = reply->body.find("cleared");
  return it != reply->body.end() && it->value().is_bool() && it->value().get_bool();
}

Result<bool> HttpCartClient::restore(const std::string& user_id, const std::string& taken_by,
                                     const std::vector<cart::CartLine>& items) {
  JsonWriter w;
  w.begin_object().field("takenBy", taken_by).key("items");
  cart::write_cart_lines(w, items);
  w.end_object();
  auto reply = peer_.call(http::Method::kPost, "/internal/cart/" + encode_segment(user_id) + "/restore", w.take());
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  auto it = reply->body.find("restored");
  return it != reply->body.end() && it->value().is_bool() && it->value().get_bool();
}

Result<order::OrderInfo> HttpOrderClient::get(const std::string& order_id) {
  auto reply = peer_.call(http::Method::kGet, "/internal/orders/" + encode_segment(order_id), {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  auto order = order::read_order(reply->body);
  if (!order) return unavailable(peer_.unavailable_message());
  return *order;
}

Result<order::PaymentApplied> HttpOrderClient::apply_payment(const std::string& order_id, bool success) {
  auto reply = peer_.call(http::Method::kPost, "/internal/orders/" + encode_segment(order_id) + "/payment",
                          success ? R"({"success":true})" : R"({"success":false})");
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  const auto* o = object_at(reply->body, "order");
  auto order = o ? order::read_order(*o) : std::nullopt;
  if (!order) return unavailable(peer_.unavailable_message());
  order::PaymentApplied out;
  out.order = std::move(*order);
  if (const auto* r = object_at(reply->body, "release")) {
    auto flag = [&](const char* k) {
      auto it = r->find(k);
      return it != r->end() && it->value().is_bool() && it->value().get_bool();
    };
    out.release.attempted = flag("attempted");
    out.release.success = flag("success");
    out.release.error = json_string(*r, "error").value_or("");
    if (auto it = r->find("released"); it != r->end() && it->value().is_array())
      for (const auto& v : it->value().get_array()) {
        if (!v.is_object()) continue;
        order::OrderLine l;
        l.product_id = json_string(v.get_object(), "productId").value_or("");
        l.qty = json_int(v.get_object(), "qty").value_or(0);
        if (auto p = v.get_object().find("price"); p != v.get_object().end())
          if (auto m = money_from_json(p->value())) l.price_minor = *m;
        out.release.released.push_back(std::move(l));
      }
  }
  return out;
}

Result<payment::RefundRecord> HttpPaymentClient::record_refund(const std::string& order_id, const std::string& user_id,
                                                               int64_t amount_minor, const std::string& currency) {
  JsonWriter w;
  w.begin_object()
      .field("orderId", order_id)
      .field("userId", user_id)
      .money_field("amount", amount_minor)
      .field("currency", currency)
      .end_object();
  // Safe to retry: the payment service keeps one refund per order.
  auto reply = peer_.call(http::Method::kPost, "/internal/payments/refunds", w.take(), true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  payment::RefundRecord r;
  r.payment_id = json_string(reply->body, "paymentId").value_or("");
  r.currency = json_string(reply->body, "currency").value_or("");
  auto status = payment::parse_payment_status(json_string(reply->body, "status").value_or(""));
  auto amount = reply->body.find("amount");
  if (r.payment_id.empty() || !status || amount == reply->body.end()) return unavailable(peer_.unavailable_message());
  r.status = *status;
  // The amount is negative: read it as the money it is.
  if (amount->value().is_number()) {
    boost::json::value positive = amount->value();
    if (positive.is_int64()) positive = -positive.as_int64();
    else if (positive.is_double()) positive = -positive.as_double();
    auto minor = money_from_json(positive);
    if (!minor) return unavailable(peer_.unavailable_message());
    r.amount_minor = -*minor;
  }
  return r;
}

}  // namespace cloudretail::remote
