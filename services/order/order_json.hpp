#pragma once
/// The order's JSON shape, shared by the public routes and the internal routes
/// a split deployment's payment service calls.
#include <boost/json/object.hpp>

#include "core/json_writer.hpp"
#include "core/result.hpp"
#include "order/order_client.hpp"

namespace cloudretail::order {

void write_order(JsonWriter& w, const OrderInfo& o);
/// The inverse of write_order; nullopt when a field is missing or malformed.
std::optional<OrderInfo> read_order(const boost::json::object& o);

}  // namespace cloudretail::order
