#pragma once
/// The inventory's wire format, in one place: the routes write it and the HTTP
/// client (inventory_http_client) reads it back.
#include <boost/json/object.hpp>
#include <optional>

#include "core/json_writer.hpp"
#include "inventory/inventory_client.hpp"

namespace cloudretail::inventory {

/// {"productId","availableQty","reservedQty","updatedAt"?}
void write_stock_level(JsonWriter& w, const StockLevel& s);
StockLevel read_stock_level(const boost::json::object& o);

/// {"items":[level...],"count","nextToken"?}; nextToken is the last productId,
/// base64url-encoded. read: nullopt when the token does not decode.
void write_stock_page(JsonWriter& w, const StockPage& page);
std::optional<StockPage> read_stock_page(const boost::json::object& o);

/// A reserve/release/ship body: {"qty","reservationId"?} (the routes validate it).
std::string write_stock_move(int64_t qty, const std::string& reservation_id);

}  // namespace cloudretail::inventory
