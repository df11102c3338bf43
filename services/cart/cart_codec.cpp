#include "cart/cart_codec.hpp"

#include "core/clock.hpp"
#include "core/json_read.hpp"
#include "core/money.hpp"

namespace cloudretail::cart {

void write_cart_lines(JsonWriter& w, const std::vector<CartLine>& items) {
  w.begin_array();
  for (const auto& l : items)
    w.begin_object()
        .field("productId", l.product_id)
        .field("qty", l.qty)
        .money_field("price", l.price_minor)
        .field("currency", l.currency)
        .end_object();
  w.end_array();
}

std::optional<std::vector<CartLine>> read_cart_lines(const boost::json::value& items) {
  if (!items.is_array()) return std::nullopt;
  std::vector<CartLine> out;
  for (const auto& v : items.get_array()) {
    if (!v.is_object()) return std::nullopt;
    const auto& o = v.get_object();
    CartLine l;
    auto id = json_string(o, "productId");
    auto qty = json_int(o, "qty");
    auto price = o.find("price");
    auto minor = price != o.end() ? money_from_json(price->value()) : std::nullopt;
    if (!id || !qty || !minor) return std::nullopt;
    l.product_id = *id;
    l.qty = *qty;
    l.price_minor = *minor;
    l.currency = json_string(o, "currency").value_or("");
    out.push_back(std::move(l));
  }
  return out;
}

std::string write_snapshot(const CartSnapshot& cart) {
  JsonWriter w;
  w.begin_object().field("userId", cart.user_id).key("items");
  write_cart_lines(w, cart.items);
  w.field("version", cart.version).key("updatedAt");
  cart.updated_at_ms ? w.string(format_timestamp(*cart.updated_at_ms)) : w.null();
  w.end_object();
  return w.take();
}

std::optional<CartSnapshot> read_snapshot(const boost::json::object& o, const std::string& user_id) {
  CartSnapshot snap;
  snap.user_id = json_string(o, "userId").value_or(user_id);
  snap.version = json_int(o, "version").value_or(0);
  if (auto at = json_string(o, "updatedAt")) snap.updated_at_ms = parse_timestamp(*at);
  auto items = o.find("items");
  auto lines = items != o.end() ? read_cart_lines(items->value()) : std::nullopt;
  if (!lines) return std::nullopt;
  snap.items = std::move(*lines);
  return snap;
}

std::string write_clear_request(int64_t version, const std::string& taken_by) {
  JsonWriter w;
  w.begin_object().field("version", version).field("takenBy", taken_by).end_object();
  return w.take();
}

std::string write_restore_request(const std::string& taken_by, const std::vector<CartLine>& items) {
  JsonWriter w;
  w.begin_object().field("takenBy", taken_by).key("items");
  write_cart_lines(w, items);
  w.end_object();
  return w.take();
}

std::string write_flag(std::string_view key, bool value) {
  JsonWriter w;
  w.begin_object().field(key, value).end_object();
  return w.take();
}

bool read_flag(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() && it->value().get_bool();
}

}  // namespace cloudretail::cart
