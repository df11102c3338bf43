#pragma once
/// The order's wire format, in one place: the public and internal routes write
/// it, and the HTTP client (order_http_client) reads it back.
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/json_writer.hpp"
#include "core/result.hpp"
#include "order/order_client.hpp"

namespace cloudretail::order {

void write_order(JsonWriter& w, const OrderInfo& o);
/// The inverse of write_order; nullopt when a field is missing or malformed.
std::optional<OrderInfo> read_order(const boost::json::object& o);

/// POST /internal/orders/{id}/payment: {"success":bool} ->
/// {"order":{...},"release":{"attempted","success","released":[{productId,qty,price}],"error"}}.
std::string write_payment_request(bool success);
std::string write_payment_applied(const PaymentApplied& applied);
/// nullopt when the order is missing or malformed.
std::optional<PaymentApplied> read_payment_applied(const boost::json::object& o);

}  // namespace cloudretail::order
