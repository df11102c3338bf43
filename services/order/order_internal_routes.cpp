#include "order/order_internal_routes.hpp"

#include "core/json_read.hpp"
#include "order/order_codec.hpp"

namespace cloudretail::order {

void register_internal_routes(http::Router& router, OrderClient& orders) {
  router.add(http::Method::kGet, "/internal/orders/{id}", [&orders](http::Request& req) -> Result<http::Response> {
    auto order = orders.get(req.param("id"));
    if (!order) return order.error();
    JsonWriter w;
    write_order(w, *order);
    return http::Response::json(200, w.take());
  });

  auto apply_payment = [&orders](http::Request& req) -> Result<http::Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto it = body->find("success");
    if (it == body->end() || !it->value().is_bool()) return bad_request("success must be true or false");
    auto applied = orders.apply_payment(req.param("id"), it->value().get_bool());
    if (!applied) return applied.error();
    return http::Response::json(200, write_payment_applied(*applied));
  };
  router.add(http::Method::kPost, "/internal/orders/{id}/payment", apply_payment);
}

}  // namespace cloudretail::order
