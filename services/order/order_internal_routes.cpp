#include "order/order_internal_routes.hpp"

#include "core/json_read.hpp"
#include "order/order_json.hpp"

namespace cloudretail::order {

void register_internal_routes(http::Router& router, OrderClient& orders) {
  router.add(http::Method::kGet, "/internal/orders/{id}", [&orders](http::Request& req) {
    auto order = orders.get(req.param("id"));
    if (!order) return http::Response::from_error(order.error());
    JsonWriter w;
    write_order(w, *order);
    return http::Response::json(200, w.take());
  });

  router.add(http::Method::kPost, "/internal/orders/{id}/payment", [&orders](http::Request& req) {
    auto body = parse_json_object(req.body);
    if (!body) return http::Response::from_error(body.error());
    auto it = body->find("success");
    if (it == body->end() || !it->value().is_bool())
      return http::Response::from_error(bad_request("success must be true or false"));
    auto applied = orders.apply_payment(req.param("id"), it->value().get_bool());
    if (!applied) return http::Response::from_error(applied.error());
    JsonWriter w;
    w.begin_object().key("order");
    write_order(w, applied->order);
    const auto& r = applied->release;
    w.key("release").begin_object().field("attempted", r.attempted).field("success", r.success).key("released").begin_array();
    for (const auto& l : r.released)
      w.begin_object().field("productId", l.product_id).field("qty", l.qty).money_field("price", l.price_minor).end_object();
    w.end_array().field("error", r.error).end_object().end_object();
    return http::Response::json(200, w.take());
  });
}

}  // namespace cloudretail::order
