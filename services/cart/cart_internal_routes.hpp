#pragma once
#include "cart/cart_client.hpp"
#include "http/router.hpp"

namespace cloudretail::cart {

/// The CartClient over HTTP, for an order service in another process
/// (internal guard: service token or admin); bodies in cart_codec:
///   GET  /internal/cart/{userId}           -> {"userId","items":[...],"version","updatedAt"}
///   POST /internal/cart/{userId}/clear     {"version","takenBy"} -> {"cleared":bool}
///   POST /internal/cart/{userId}/restore   {"takenBy","items":[...]} -> {"restored":bool}
void register_internal_routes(http::Router& router, CartClient& carts);

}  // namespace cloudretail::cart
