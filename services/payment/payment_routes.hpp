#pragma once
#include "http/router.hpp"
#include "idempotency/key_store.hpp"
#include "payment/payment_client.hpp"
#include "payment/payment_service.hpp"

namespace cloudretail::payment {

/// POST /payments (Idempotency-Key aware) and GET /payments/{id}: signed-in user, own orders only.
void register_routes(http::Router& router, PaymentService& service, idempotency::KeyStore& idempotency_keys);

/// Internal (split deployment): POST /internal/payments/refunds {orderId, userId,
/// amount, currency} -> 200 {paymentId, amount, currency, status}, for the order service.
void register_refund_route(http::Router& router, PaymentClient& payments);

}  // namespace cloudretail::payment
