#pragma once
/// The cart's internal wire format, in one place: the internal routes
/// (cart_internal_routes) write and read it, and so does the HTTP client
/// (cart_http_client) on the other side.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cart/cart_client.hpp"
#include "core/json_writer.hpp"

namespace cloudretail::cart {

/// [{"productId","qty","price","currency"}...]; read: nullopt when a line is malformed.
void write_cart_lines(JsonWriter& w, const std::vector<CartLine>& items);
std::optional<std::vector<CartLine>> read_cart_lines(const boost::json::value& items);

/// {"userId","items":[...],"version","updatedAt"(null for a cart never written)}.
std::string write_snapshot(const CartSnapshot& cart);
/// nullopt when the items are missing or malformed; `user_id` when the answer has none.
std::optional<CartSnapshot> read_snapshot(const boost::json::object& o, const std::string& user_id);

/// POST .../clear {"version","takenBy"} and POST .../restore {"takenBy","items"}.
std::string write_clear_request(int64_t version, const std::string& taken_by);
std::string write_restore_request(const std::string& taken_by, const std::vector<CartLine>& items);

/// {"cleared":bool} / {"restored":bool}: `key` names the flag; absent reads false.
std::string write_flag(std::string_view key, bool value);
bool read_flag(const boost::json::object& o, std::string_view key);

}  // namespace cloudretail::cart
