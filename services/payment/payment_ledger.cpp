#include "payment/payment_ledger.hpp"

#include "core/crypto.hpp"

namespace cloudretail::payment {

Result<RefundRecord> PaymentLedger::record_refund(const std::string& order_id, const std::string& user_id,
                                                  int64_t amount_minor, const std::string& currency) {
  if (order_id.empty() || user_id.empty() || amount_minor < 0)
    return bad_request("orderId, userId and a non-negative amount are required", "InvalidParameter");
  PaymentRecord p;
  p.payment_id = "PAY-" + crypto::uuid4();
  p.order_id = order_id;
  p.user_id = user_id;
  p.amount_minor = -amount_minor;
  p.currency = currency;
  p.status = PaymentStatus::kRefunded;
  p.created_at_ms = clock_.now_ms();
  p.email_type = "order-refunded";  // sent by the order service, which owns the refund
  p.email_state = EmailState::kNone;
  p.state = PaymentState::kApplied;
  // One refund per order (a unique index): a repeat finds the first.
  auto stored = repo_.insert_refund(p);
  return RefundRecord{stored.payment_id, stored.amount_minor, stored.currency, stored.status};
}

}  // namespace cloudretail::payment
