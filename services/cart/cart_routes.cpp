#include "cart/cart_routes.hpp"

#include "authn/authenticator.hpp"
#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "core/money.hpp"

namespace cloudretail::cart {

namespace {

void write_cart(JsonWriter& w, const CartSnapshot& cart) {
  w.begin_object().field("userId", cart.user_id).key("items").begin_array();
  for (const auto& l : cart.items)
    w.begin_object()
        .field("productId", l.product_id)
        .field("qty", l.qty)
        .money_field("price", l.price_minor)
        .field("available", l.available)
        .end_object();
  w.end_array().key("updatedAt");
  if (cart.updated_at_ms)
    w.string(format_timestamp(*cart.updated_at_ms));
  else
    w.null();
  w.end_object();
}

http::Response cart_reply(int status, std::string_view message, const CartSnapshot& cart) {
  JsonWriter w;
  w.begin_object().field("message", message).key("cart");
  write_cart(w, cart);
  w.end_object();
  return http::Response::json(status, w.take());
}

bool valid_product_id(const std::string& id) { return !id.empty() && id.size() <= 64; }

struct ItemInput {
  int64_t qty = 0;
  std::optional<int64_t> price_minor;
};

/// qty (1..1000, integer) and an optional price (positive, two decimals at most).
Result<ItemInput> read_item(const boost::json::object& body) {
  ItemInput in;
  auto qty = json_int(body, "qty");
  if (!qty || *qty < 1 || *qty > kMaxCartQty) return bad_request("qty must be an integer between 1 and 1000");
  in.qty = *qty;
  if (auto it = body.find("price"); it != body.end() && !it->value().is_null()) {
    auto price = money_from_json(it->value());
    if (!price || *price <= 0) return bad_request("price must be a positive number with at most 2 decimals");
    in.price_minor = *price;
  }
  return in;
}

}  // namespace

void register_routes(http::Router& router, CartService& service) {
  router.add(http::Method::kGet, "/cart", [&service](http::Request& req) -> Result<http::Response> {
    auto user = authn::resolve_user_id(req);
    if (!user) return user.error();
    auto cart = service.get(*user);
    if (!cart) return cart.error();
    JsonWriter w;
    write_cart(w, *cart);
    return http::Response::json(200, w.take());
  });

  router.add(http::Method::kPost, "/cart/items", [&service](http::Request& req) -> Result<http::Response> {
    auto user = authn::resolve_user_id(req);
    if (!user) return user.error();
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto product_id = json_string(*body, "productId");
    if (!product_id || !valid_product_id(*product_id)) return bad_request("productId is required");
    auto item = read_item(*body);
    if (!item) return item.error();
    auto cart = service.add_item(*user, *product_id, item->qty, item->price_minor);
    if (!cart) return cart.error();
    return cart_reply(200, "Item added to cart", *cart);
  });

  router.add(http::Method::kPut, "/cart/items/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto user = authn::resolve_user_id(req);
    if (!user) return user.error();
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto item = read_item(*body);
    if (!item) return item.error();
    auto cart = service.update_item(*user, req.param("id"), item->qty, item->price_minor);
    if (!cart) return cart.error();
    return cart_reply(200, "Cart item updated", *cart);
  });

  router.add(http::Method::kDelete, "/cart/items/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto user = authn::resolve_user_id(req);
    if (!user) return user.error();
    auto cart = service.remove_item(*user, req.param("id"));
    if (!cart) return cart.error();
    return cart_reply(200, "Item removed", *cart);
  });

  router.add(http::Method::kDelete, "/cart", [&service](http::Request& req) -> Result<http::Response> {
    auto user = authn::resolve_user_id(req);
    if (!user) return user.error();
    auto done = service.clear(*user);
    if (!done) return done.error();
    JsonWriter w;
    w.begin_object().field("message", "Cart cleared").field("userId", *user).end_object();
    return http::Response::json(200, w.take());
  });
}

}  // namespace cloudretail::cart
