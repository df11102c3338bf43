#pragma once
#include "http/router.hpp"
#include "order/idempotency.hpp"
#include "payment/payment_service.hpp"

namespace cloudretail::payment {

/// POST /payments (Idempotency-Key aware) and GET /payments/{id}: signed-in user, own orders only.
void register_routes(http::Router& router, PaymentService& service, order::IdempotencyStore& idempotency);

}  // namespace cloudretail::payment
