#include "inventory/inventory_routes.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "core/crypto.hpp"
#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "http/list_params.hpp"
#include "inventory/inventory_codec.hpp"

namespace cloudretail::inventory {

namespace {

http::Response answer(std::string_view message, const StockLevel& s) {
  JsonWriter w;
  w.begin_object().field("message", message).key("inventory");
  write_stock_level(w, s);
  w.end_object();
  return http::Response::json(200, w.take());
}

/// A present field that is not an integer is a 400, never a silent default.
Result<std::optional<int64_t>> optional_int(const boost::json::object& body, std::string_view key) {
  if (!body.contains(key)) return std::optional<int64_t>{};
  auto v = json_int(body, key);
  if (!v) return bad_request(std::string(key) + " must be an integer", "InvalidParameter");
  return std::optional<int64_t>{*v};
}

enum class MoveKind { kReserve, kRelease, kShip };

Result<http::Response> move(http::Request& req, InventoryService& service, MoveKind kind) {
  auto body = parse_json_object(req.body);
  if (!body) return body.error();
  auto qty = json_int(*body, "qty");
  if (!qty) return bad_request("qty must be an integer between 1 and 1000000", "InvalidParameter");
  std::string reservation_id;
  if (body->contains("reservationId")) {
    auto rid = json_string(*body, "reservationId");
    if (!rid || rid->empty()) return bad_request("reservationId must be a non-empty string", "InvalidParameter");
    reservation_id = *rid;
  }
  const std::string& id = req.param("id");
  auto level = kind == MoveKind::kReserve   ? service.reserve(id, *qty, reservation_id)
               : kind == MoveKind::kRelease ? service.release(id, *qty, reservation_id)
                                            : service.ship(id, *qty, reservation_id);
  if (!level) return level.error();
  return answer(kind == MoveKind::kReserve ? "Reserved" : kind == MoveKind::kRelease ? "Released" : "Shipped", *level);
}

}  // namespace

void register_routes(http::Router& router, InventoryService& service) {
  // Internal: every stock level by productId, for the order service's audit.
  router.add(http::Method::kGet, "/inventory", [&service](http::Request& req) -> Result<http::Response> {
    auto limit = http::list_limit(req);
    if (!limit) return limit.error();
    // nextToken: the last productId of the previous page, base64url-encoded.
    std::string after;
    if (auto token = req.query_param("nextToken"); token && !token->empty())
      if (!crypto::base64url_decode(*token, after) || !is_valid_product_id(after)) return http::invalid_next_token();
    auto page = service.list(after, *limit);
    if (!page) return page.error();
    JsonWriter w;
    write_stock_page(w, *page);
    return http::Response::json(200, w.take());
  });

  router.add(http::Method::kGet, "/inventory/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto level = service.get(req.param("id"));
    if (!level) return level.error();
    JsonWriter w;
    write_stock_level(w, *level);
    return http::Response::json(200, w.take());
  });

  router.add(http::Method::kPut, "/inventory/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto available = optional_int(*body, "availableQty");
    if (!available) return available.error();
    auto reserved = optional_int(*body, "reservedQty");
    if (!reserved) return reserved.error();
    auto level = service.set(req.param("id"), *available, *reserved);
    if (!level) return level.error();
    return answer("Inventory updated", *level);
  });

  router.add(http::Method::kPost, "/inventory/{id}/reserve",
             [&service](http::Request& req) { return move(req, service, MoveKind::kReserve); });
  router.add(http::Method::kPost, "/inventory/{id}/release",
             [&service](http::Request& req) { return move(req, service, MoveKind::kRelease); });
  // Internal: an order shipped; its reservation's units leave reservedQty for good.
  router.add(http::Method::kPost, "/inventory/{id}/ship",
             [&service](http::Request& req) { return move(req, service, MoveKind::kShip); });
}

}  // namespace cloudretail::inventory
