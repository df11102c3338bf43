#include "cart/cart_internal_routes.hpp"

#include "cart/cart_codec.hpp"
#include "core/json_read.hpp"

namespace cloudretail::cart {

void register_internal_routes(http::Router& router, CartClient& carts) {
  router.add(http::Method::kGet, "/internal/cart/{userId}", [&carts](http::Request& req) -> Result<http::Response> {
    auto cart = carts.get(req.param("userId"));
    if (!cart) return cart.error();
    return http::Response::json(200, write_snapshot(*cart));
  });

  auto clear = [&carts](http::Request& req) -> Result<http::Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto version = json_int(*body, "version");
    if (!version) return bad_request("version is required");
    auto cleared = carts.clear_if_version(req.param("userId"), *version, json_string(*body, "takenBy").value_or(""));
    if (!cleared) return cleared.error();
    return http::Response::json(200, write_flag("cleared", *cleared));
  };
  router.add(http::Method::kPost, "/internal/cart/{userId}/clear", clear);

  auto restore = [&carts](http::Request& req) -> Result<http::Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto taken_by = json_string(*body, "takenBy");
    auto items_it = body->find("items");
    auto items = items_it != body->end() ? read_cart_lines(items_it->value()) : std::nullopt;
    if (!taken_by || !items) return bad_request("takenBy and items are required");
    auto restored = carts.restore(req.param("userId"), *taken_by, *items);
    if (!restored) return restored.error();
    return http::Response::json(200, write_flag("restored", *restored));
  };
  router.add(http::Method::kPost, "/internal/cart/{userId}/restore", restore);
}

}  // namespace cloudretail::cart
