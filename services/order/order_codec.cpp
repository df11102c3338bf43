#include "order/order_codec.hpp"

#include "core/clock.hpp"
#include "core/json_read.hpp"
#include "core/money.hpp"

namespace cloudretail::order {

void write_order(JsonWriter& w, const OrderInfo& o) {
  w.begin_object()
      .field("orderId", o.order_id)
      .field("userId", o.user_id)
      .field("userEmail", o.user_email)
      .field("status", to_string(o.status))
      .key("items")
      .begin_array();
  for (const auto& l : o.items)
    w.begin_object()
        .field("productId", l.product_id)
        .field("qty", l.qty)
        .money_field("price", l.price_minor)
        .end_object();
  w.end_array()
      .money_field("totalAmount", o.total_minor)
      .field("currency", o.currency)
      .field("createdAt", format_timestamp(o.created_at_ms));
  if (o.expires_at_ms) w.field("expiresAt", format_timestamp(*o.expires_at_ms));
  if (o.shipped_at_ms) w.field("shippedAt", format_timestamp(*o.shipped_at_ms));
  if (o.tracking_number) w.field("trackingNumber", *o.tracking_number);
  if (o.refunded_at_ms) w.field("refundedAt", format_timestamp(*o.refunded_at_ms));
  w.field("updatedAt", format_timestamp(o.updated_at_ms)).end_object();
}

std::optional<OrderInfo> read_order(const boost::json::object& o) {
  OrderInfo out;
  auto id = json_string(o, "orderId");
  auto status = json_string(o, "status");
  auto total = o.find("totalAmount");
  auto created = json_string(o, "createdAt");
  if (!id || !status || total == o.end() || !created) return std::nullopt;
  auto parsed_status = parse_order_status(*status);
  if (!parsed_status) return std::nullopt;
  out.order_id = *id;
  out.status = *parsed_status;
  out.user_id = json_string(o, "userId").value_or("");
  out.user_email = json_string(o, "userEmail").value_or("");
  out.currency = json_string(o, "currency").value_or("");
  auto total_minor = money_from_json(total->value());
  if (!total_minor) return std::nullopt;
  out.total_minor = *total_minor;
  out.created_at_ms = parse_timestamp(*created).value_or(0);
  out.updated_at_ms = parse_timestamp(json_string(o, "updatedAt").value_or("")).value_or(out.created_at_ms);
  if (auto e = json_string(o, "expiresAt")) out.expires_at_ms = parse_timestamp(*e);
  if (auto e = json_string(o, "shippedAt")) out.shipped_at_ms = parse_timestamp(*e);
  if (auto e = json_string(o, "trackingNumber")) out.tracking_number = *e;
  if (auto e = json_string(o, "refundedAt")) out.refunded_at_ms = parse_timestamp(*e);
  if (auto it = o.find("items"); it != o.end() && it->value().is_array()) {
    for (const auto& v : it->value().get_array()) {
      if (!v.is_object()) return std::nullopt;
      const auto& line = v.get_object();
      OrderLine l;
      l.product_id = json_string(line, "productId").value_or("");
      l.qty = json_int(line, "qty").value_or(0);
      auto price = line.find("price");
      if (price != line.end())
        if (auto m = money_from_json(price->value())) l.price_minor = *m;
      out.items.push_back(std::move(l));
    }
  }
  return out;
}

std::string write_payment_request(bool success) { return success ? R"({"success":true})" : R"({"success":false})"; }

std::string write_payment_applied(const PaymentApplied& applied) {
  JsonWriter w;
  w.begin_object().key("order");
  write_order(w, applied.order);
  const auto& r = applied.release;
  w.key("release")
      .begin_object()
      .field("attempted", r.attempted)
      .field("success", r.success)
      .key("released")
      .begin_array();
  for (const auto& l : r.released)
    w.begin_object()
        .field("productId", l.product_id)
        .field("qty", l.qty)
        .money_field("price", l.price_minor)
        .end_object();
  w.end_array().field("error", r.error).end_object().end_object();
  return w.take();
}

std::optional<PaymentApplied> read_payment_applied(const boost::json::object& o) {
  auto object_at = [](const boost::json::object& parent, std::string_view key) -> const boost::json::object* {
    auto it = parent.find(key);
    return (it != parent.end() && it->value().is_object()) ? &it->value().get_object() : nullptr;
  };
  const auto* order_json = object_at(o, "order");
  auto order = order_json ? read_order(*order_json) : std::nullopt;
  if (!order) return std::nullopt;
  PaymentApplied out;
  out.order = std::move(*order);
  if (const auto* r = object_at(o, "release")) {
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
        OrderLine l;
        l.product_id = json_string(v.get_object(), "productId").value_or("");
        l.qty = json_int(v.get_object(), "qty").value_or(0);
        if (auto p = v.get_object().find("price"); p != v.get_object().end())
          if (auto m = money_from_json(p->value())) l.price_minor = *m;
        out.release.released.push_back(std::move(l));
      }
  }
  return out;
}

}  // namespace cloudretail::order
