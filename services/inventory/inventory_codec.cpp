#include "inventory/inventory_codec.hpp"

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/json_read.hpp"

namespace cloudretail::inventory {

void write_stock_level(JsonWriter& w, const StockLevel& s) {
  w.begin_object()
      .field("productId", s.product_id)
      .field("availableQty", s.available_qty)
      .field("reservedQty", s.reserved_qty);
  if (s.updated_at_ms) w.field("updatedAt", format_timestamp(*s.updated_at_ms));
  w.end_object();
}

StockLevel read_stock_level(const boost::json::object& o) {
  StockLevel s;
  s.product_id = json_string(o, "productId").value_or("");
  s.available_qty = json_int(o, "availableQty").value_or(0);
  s.reserved_qty = json_int(o, "reservedQty").value_or(0);
  if (auto at = json_string(o, "updatedAt")) s.updated_at_ms = parse_timestamp(*at);
  return s;
}

void write_stock_page(JsonWriter& w, const StockPage& page) {
  w.begin_object().key("items").begin_array();
  for (const auto& s : page.items) write_stock_level(w, s);
  w.end_array().field("count", static_cast<int64_t>(page.items.size()));
  if (page.next_after) w.field("nextToken", crypto::base64url_encode(*page.next_after));
  w.end_object();
}

std::optional<StockPage> read_stock_page(const boost::json::object& o) {
  StockPage page;
  if (auto it = o.find("items"); it != o.end() && it->value().is_array())
    for (const auto& v : it->value().get_array())
      if (v.is_object()) page.items.push_back(read_stock_level(v.get_object()));
  if (auto next = json_string(o, "nextToken")) {
    std::string decoded;
    if (!crypto::base64url_decode(*next, decoded)) return std::nullopt;
    page.next_after = std::move(decoded);
  }
  return page;
}

std::string write_stock_move(int64_t qty, const std::string& reservation_id) {
  JsonWriter w;
  w.begin_object().field("qty", qty);
  if (!reservation_id.empty()) w.field("reservationId", reservation_id);
  w.end_object();
  return w.take();
}

}  // namespace cloudretail::inventory
