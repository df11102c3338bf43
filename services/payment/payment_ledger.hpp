#pragma once
/// The in-process PaymentClient: writes refund payments into the payments table.
/// Apart from PaymentService so that the order service (which payment depends on)
/// can be given it without a cycle.
#include "core/clock.hpp"
#include "payment/payment_client.hpp"
#include "payment/payment_repository.hpp"

namespace cloudretail::payment {

class PaymentLedger final : public PaymentClient {
 public:
  PaymentLedger(PaymentRepository& repo, const Clock& clock) : repo_(repo), clock_(clock) {}
  Result<RefundRecord> record_refund(const std::string& order_id, const std::string& user_id, int64_t amount_minor,
                                     const std::string& currency) override;

 private:
  PaymentRepository& repo_;
  const Clock& clock_;
};

}  // namespace cloudretail::payment
