#pragma once
#include "http/router.hpp"
#include "order/order_client.hpp"

namespace cloudretail::order {

/// The OrderClient over HTTP, for a payment service in another process
/// (internal guard: service token or admin); bodies in order_codec:
///   GET  /internal/orders/{id}          -> the order
///   POST /internal/orders/{id}/payment  {"success":bool} -> {"order":{...},"release":{...}}
void register_internal_routes(http::Router& router, OrderClient& orders);

}  // namespace cloudretail::order
