#include "order/order_routes.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "authn/authenticator.hpp"
#include "core/crypto.hpp"
#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "http/list_params.hpp"
#include "idempotency/middleware.hpp"
#include "order/order_codec.hpp"

namespace cloudretail::order {

namespace {

http::Response order_reply(int status, std::string_view message, const OrderInfo& o) {
  JsonWriter w;
  w.begin_object().field("message", message).key("order");
  write_order(w, o);
  w.end_object();
  return http::Response::json(status, w.take());
}

std::string encode_cursor(const OrderCursor& c) {
  return crypto::base64url_encode(std::to_string(c.created_at_ms) + ":" + c.order_id);
}

std::optional<OrderCursor> decode_cursor(const std::string& token) {
  std::string raw;
  if (token.size() > 512 || !crypto::base64url_decode(token, raw)) return std::nullopt;
  auto colon = raw.find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  OrderCursor c;
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + colon, c.created_at_ms);
  if (ec != std::errc() || p != raw.data() + colon) return std::nullopt;
  c.order_id = raw.substr(colon + 1);
  return c;
}

/// The order when the caller owns it (or is an admin); never another user's data.
Result<OrderInfo> owned_order(OrderService& service, const http::Request& req, const std::string& order_id) {
  auto order = service.get(order_id);
  if (!order) return order.error();
  const auto& p = req.principal;
  if (order->user_id != p.user_id && !p.is_admin && !p.is_service)
    return forbidden("You may only access your own orders", "AccessDeniedException");
  return order;
}

struct Paging {
  int limit = http::kDefaultListLimit;
  std::optional<OrderCursor> after;
};

/// limit and nextToken of an order list, by the shared list rule.
Result<Paging> read_paging(const http::Request& req) {
  Paging p;
  auto limit = http::list_limit(req);
  if (!limit) return limit.error();
  p.limit = *limit;
  if (auto t = req.query_param("nextToken"); t && !t->empty()) {
    p.after = decode_cursor(*t);
    if (!p.after) return http::invalid_next_token();
  }
  return p;
}

http::Response page_reply(const OrderPage& page) {
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& o : page.items) write_order(w, o);
  w.end_array().field("count", static_cast<int64_t>(page.items.size()));
  if (page.next) w.field("nextToken", encode_cursor(*page.next));
  w.end_object();
  return http::Response::json(200, w.take());
}

bool plausible_email(const std::string& e) {
  auto at = e.find('@');
  return e.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < e.size() &&
         e.find_first_of(" \t\r\n<>\"") == std::string::npos;
}

std::string lower_trimmed(std::string_view s) {
  auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  std::string out = b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Where the order's emails go. A user's own checkout mails the account's address
/// (the access token's `email`), so nobody can make the shop mail a stranger; a body
/// `email` must name that same address. An admin or service checking out for another
/// user is trusted with the address it gives (it cannot read the user's token).
Result<std::string> order_email(const http::Principal& caller, const std::string& user_id,
                                const std::optional<std::string>& given) {
  const bool for_self = caller.user_id == user_id;
  if (!for_self) return given.value_or("");
  if (given && lower_trimmed(*given) != lower_trimmed(caller.email))
    return make_error(ErrorCode::kForbidden, "Order emails go to the account's address", "EmailMismatch");
  return lower_trimmed(caller.email);
}

}  // namespace

void register_routes(http::Router& router, OrderService& service, idempotency::KeyStore& idempotency_keys) {
  auto checkout = [&service, &idempotency_keys](http::Request& req) -> Result<http::Response> {
    auto user = authn::resolve_user_id(req);
    if (!user) return user.error();
    return idempotency::run_idempotent(idempotency_keys, req, *user, [&]() -> Result<http::Response> {
      auto body = parse_json_object(req.body);
      if (!body) return body.error();
      std::optional<std::string> given;
      if (auto it = body->find("email"); it != body->end() && !it->value().is_null()) {
        auto e = json_string(*body, "email");
        if (!e || !plausible_email(*e)) return bad_request("email is invalid", "InvalidParameterException");
        given = *e;
      }
      auto email = order_email(req.principal, *user, given);
      if (!email) return email.error();
      auto order = service.checkout(*user, *email);
      if (!order) return order.error();
      return order_reply(201, "Checkout successful", *order);
    });
  };
  router.add(http::Method::kPost, "/orders/checkout", checkout);

  router.add(http::Method::kGet, "/orders", [&service](http::Request& req) -> Result<http::Response> {
    auto user = authn::resolve_user_id(req);
    if (!user) return user.error();
    auto paging = read_paging(req);
    if (!paging) return paging.error();
    auto page = service.list(*user, paging->after, paging->limit);
    if (!page) return page.error();
    return page_reply(*page);
  });

  router.add(http::Method::kGet, "/admin/orders", [&service](http::Request& req) -> Result<http::Response> {
    auto paging = read_paging(req);
    if (!paging) return paging.error();
    auto text = req.query_param("status");
    std::optional<OrderStatus> status;
    if (text && !text->empty()) {
      status = parse_order_status(*text);
      if (!status) return invalid_status_filter();
    }
    auto page = service.list_all(status, paging->after, paging->limit);
    if (!page) return page.error();
    return page_reply(*page);
  });

  router.add(http::Method::kGet, "/orders/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto order = owned_order(service, req, req.param("id"));
    if (!order) return order.error();
    JsonWriter w;
    write_order(w, *order);
    return http::Response::json(200, w.take());
  });

  router.add(http::Method::kPost, "/orders/{id}/cancel", [&service](http::Request& req) -> Result<http::Response> {
    auto order = owned_order(service, req, req.param("id"));
    if (!order) return order.error();
    auto cancelled = service.cancel(order->order_id);
    if (!cancelled) return cancelled.error();
    return order_reply(200, "Order cancelled", *cancelled);
  });

  router.add(http::Method::kPost, "/orders/{id}/ship", [&service](http::Request& req) -> Result<http::Response> {
    std::optional<std::string> tracking;
    if (!req.body.empty()) {
      auto body = parse_json_object(req.body);
      if (!body) return body.error();
      if (auto it = body->find("trackingNumber"); it != body->end() && !it->value().is_null()) {
        auto t = json_string(*body, "trackingNumber");
        if (!t || t->empty() || t->size() > 128 ||
            std::any_of(t->begin(), t->end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
          return bad_request("trackingNumber must be 1-128 printable characters", "InvalidParameterException");
        tracking = *t;
      }
    }
    auto shipped = service.ship(req.param("id"), tracking);
    if (!shipped) return shipped.error();
    return order_reply(200, "Order shipped", *shipped);
  });

  router.add(http::Method::kPost, "/orders/{id}/refund", [&service](http::Request& req) -> Result<http::Response> {
    auto out = service.refund(req.param("id"));
    if (!out) return out.error();
    JsonWriter w;
    w.begin_object().field("message", "Order refunded").key("order");
    write_order(w, out->order);
    w.key("refund");
    if (out->refund)
      w.begin_object()
          .field("paymentId", out->refund->payment_id)
          .money_field("amount", out->refund->amount_minor)
          .field("status", payment::to_string(out->refund->status))
          .end_object();
    else
      w.null();
    w.end_object();
    return http::Response::json(200, w.take());
  });

  router.add(http::Method::kGet, "/admin/inventory-audit", [&service](http::Request&) -> Result<http::Response> {
    auto report = service.audit();
    if (!report) return report.error();
    JsonWriter w;
    w.begin_object().field("ok", report->ok).field("checked", report->checked).key("discrepancies").begin_array();
    for (const auto& d : report->discrepancies)
      w.begin_object()
          .field("productId", d.product_id)
          .field("reservedQty", d.reserved_qty)
          .field("expectedReservedQty", d.expected_reserved_qty)
          .end_object();
    w.end_array().end_object();
    return http::Response::json(200, w.take());
  });
}

}  // namespace cloudretail::order
