#include "cart/cart_internal_routes.hpp"

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

void register_internal_routes(http::Router& router, CartClient& carts) {
  router.add(http::Method::kGet, "/internal/cart/{userId}", [&carts](http::Request& req) {
    auto cart = carts.get(req.param("userId"));
    if (!cart) return http::Response::from_error(cart.error());
    JsonWriter w;
    w.begin_object().field("userId", cart->user_id).key("items");
    write_cart_lines(w, cart->items);
    w.field("version", cart->version).key("updatedAt");
    cart->updated_at_ms ? w.string(format_timestamp(*cart->updated_at_ms)) : w.null();
    w.end_object();
    return http::Response::json(200, w.take());
  });

  router.add(http::Method::kPost, "/internal/cart/{userId}/clear", [&carts](http::Request& req) {
    auto body = parse_json_object(req.body);
    if (!body) return http::Response::from_error(body.error());
    auto version = json_int(*body, "version");
    if (!version) return http::Response::from_error(bad_request("version is required"));
    auto cleared = carts.clear_if_version(req.param("userId"), *version, json_string(*body, "takenBy").value_or(""));
    if (!cleared) return http::Response::from_error(cleared.error());
    JsonWriter w;
    w.begin_object().field("cleared", *cleared).end_object();
    return http::Response::json(200, w.take());
  });

  router.add(http::Method::kPost, "/internal/cart/{userId}/restore", [&carts](http::Request& req) {
    auto body = parse_json_object(req.body);
    if (!body) return http::Response::from_error(body.error());
    auto taken_by = json_string(*body, "takenBy");
    auto items_it = body->find("items");
    auto items = items_it != body->end() ? read_cart_lines(items_it->value()) : std::nullopt;
    if (!taken_by || !items) return http::Response::from_error(bad_request("takenBy and items are required"));
    auto restored = carts.restore(req.param("userId"), *taken_by, *items);
    if (!restored) return http::Response::from_error(restored.error());
    JsonWriter w;
    w.begin_object().field("restored", *restored).end_object();
    return http::Response::json(200, w.take());
  });
}

}  // namespace cloudretail::cart
