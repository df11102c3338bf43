#include "remote/remote_clients.hpp"

#include "core/clock.hpp"
#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "core/money.hpp"

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

Result<inventory::StockPage> HttpInventoryClient::list(const std::string& after, int limit) {
  std::string target = "/inventory?limit=" + std::to_string(limit);
  if (!after.empty()) target += "&after=" + encode_segment(after);
  auto reply = peer_.call(http::Method::kGet, target, {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  inventory::StockPage page;
  if (auto it = reply->body.find("items"); it != reply->body.end() && it->value().is_array())
    for (const auto& v : it->value().get_array())
      if (v.is_object()) page.items.push_back(stock_from(v.get_object()));
  if (auto next = json_string(reply->body, "nextAfter")) page.next_after = *next;
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
  if (r.type == notification::EmailType::kOrderConfirmed) w.money_field("amount", r.amount_minor).field("currency", r.currency);
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

}  // namespace cloudretail::remote
