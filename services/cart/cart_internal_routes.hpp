#pragma once
#include "cart/cart_client.hpp"
#include <boost/json/value.hpp>
#include <optional>

#include "core/json_writer.hpp"
#include "http/router.hpp"

namespace cloudretail::cart {

/// The CartClient over HTTP, for an order service in another process
/// (internal guard: service token or admin):
///   GET  /internal/cart/{userId}           -> {"userId","items":[...],"version","updatedAt"}
///   POST /internal/cart/{userId}/clear     {"version","takenBy"} -> {"cleared":bool}
///   POST /internal/cart/{userId}/restore   {"takenBy","items":[...]} -> {"restored":bool}
void register_internal_routes(http::Router& router, CartClient& carts);

/// Shared by the routes and the HTTP client.
void write_cart_lines(JsonWriter& w, const std::vector<CartLine>& items);
std::optional<std::vector<CartLine>> read_cart_lines(const boost::json::value& items);

}  // namespace cloudretail::cart
