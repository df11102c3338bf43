#pragma once
/// The payment service's internal wire format, in one place: POST
/// /internal/payments/refunds, written and read by the refund route and by the
/// HTTP client (payment_http_client).
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "payment/payment_client.hpp"

namespace cloudretail::payment {

/// {"orderId","userId","amount","currency"}: amount > 0 is what is given back.
struct RefundRequest {
  std::string order_id;
  std::string user_id;
  int64_t amount_minor = 0;
  std::string currency;
};
std::string write_refund_request(const RefundRequest& r);
/// Error: 400 InvalidParameter when a field is missing.
Result<RefundRequest> read_refund_request(const boost::json::object& body);

/// {"paymentId","amount"(negative),"currency","status"}; read: nullopt when the
/// payment id, the status or the amount is missing or malformed.
std::string write_refund_record(const RefundRecord& r);
std::optional<RefundRecord> read_refund_record(const boost::json::object& o);

}  // namespace cloudretail::payment
