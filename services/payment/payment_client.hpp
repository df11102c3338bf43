#pragma once
/// What other services (order) may ask of payments: record the refund of an order.
/// Implementations: in-process (PaymentLedger) and HTTP (split deployment).
/// Errors: kUnavailable "Payment service error" when unreachable.
#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "payment/payment_status.hpp"

namespace cloudretail::payment {

/// The refund payment as answered in POST /orders/{id}/refund's "refund".
struct RefundRecord {
  std::string payment_id;
  int64_t amount_minor = 0;  // negative: money given back
  std::string currency;
  PaymentStatus status = PaymentStatus::kRefunded;
};

class PaymentClient {
 public:
  virtual ~PaymentClient() = default;
  /// Records the refund of `order_id` (amount_minor > 0 is what is given back) as a
  /// payment with a negative amount and status REFUNDED, readable at GET
  /// /payments/{id} by the order's user. Idempotent: an order has at most one
  /// refund, and a repeat answers it.
  virtual Result<RefundRecord> record_refund(const std::string& order_id, const std::string& user_id,
                                             int64_t amount_minor, const std::string& currency) = 0;
};

}  // namespace cloudretail::payment
