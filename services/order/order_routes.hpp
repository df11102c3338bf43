#pragma once
#include "http/router.hpp"
#include "idempotency/key_store.hpp"
#include "order/order_service.hpp"

namespace cloudretail::order {

/// POST /orders/checkout, GET /orders, GET /orders/{id}, POST /orders/{id}/cancel
/// (signed-in user, own orders) and GET /admin/inventory-audit (admin).
void register_routes(http::Router& router, OrderService& service, idempotency::KeyStore& idempotency_keys);

}  // namespace cloudretail::order
