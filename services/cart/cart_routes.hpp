#pragma once
#include "cart/cart_service.hpp"
#include "http/router.hpp"

namespace cloudretail::cart {

/// GET /cart, POST /cart/items, PUT|DELETE /cart/items/{id}, DELETE /cart (signed-in user, own cart).
void register_routes(http::Router& router, CartService& service);

/// The routes checkout uses in a split deployment are in cart_internal_routes.hpp.

}  // namespace cloudretail::cart
