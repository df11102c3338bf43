#pragma once
#include "cart/cart_service.hpp"
#include "http/router.hpp"

namespace cloudretail::cart {

/// GET /cart, POST /cart/items, PUT|DELETE /cart/items/{id}, DELETE /cart (signed-in user, own cart).
void register_routes(http::Router& router, CartService& service);

/// For checkout in a split deployment (service token only):
///   GET  /internal/cart/{userId}        -> {userId, items:[{productId,qty,price,currency}], version, updatedAt}
///   POST /internal/cart/{userId}/clear  {"version":N} -> {"cleared":true|false}
void register_internal_routes(http::Router& router, CartClient& carts);

}  // namespace cloudretail::cart
