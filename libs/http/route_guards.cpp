#include "http/route_guards.hpp"

#include <array>

namespace cloudretail::http {

namespace {

struct GuardRow {
  Method method;
  std::string_view pattern;
  Guard guard;
};

// Keep in step with CONTRACT.md "Who may call what".
constexpr std::array kGuardTable{
    // Identity
    GuardRow{Method::kPost, "/auth/register", Guard::kPublic},
    GuardRow{Method::kPost, "/auth/confirm", Guard::kPublic},
    GuardRow{Method::kPost, "/auth/resend-code", Guard::kPublic},
    GuardRow{Method::kPost, "/auth/login", Guard::kPublic},
    GuardRow{Method::kPost, "/auth/refresh", Guard::kPublic},
    GuardRow{Method::kPost, "/auth/logout", Guard::kPublic},
    GuardRow{Method::kPost, "/auth/forgot-password", Guard::kPublic},
    GuardRow{Method::kPost, "/auth/reset-password", Guard::kPublic},
    GuardRow{Method::kPost, "/auth/change-password", Guard::kUser},
    GuardRow{Method::kGet, "/.well-known/jwks.json", Guard::kPublic},
    // Catalog and media
    GuardRow{Method::kGet, "/products", Guard::kPublic},
    GuardRow{Method::kGet, "/products/{id}", Guard::kPublic},
    GuardRow{Method::kPost, "/products", Guard::kAdmin},
    GuardRow{Method::kPost, "/products/{id}/image-upload-url", Guard::kAdmin},
    GuardRow{Method::kPatch, "/products/{id}", Guard::kAdmin},
    GuardRow{Method::kDelete, "/products/{id}", Guard::kAdmin},
    GuardRow{Method::kGet, "/categories", Guard::kPublic},
    GuardRow{Method::kGet, "/media/{key+}", Guard::kPublic},  // the signature is the credential
    GuardRow{Method::kPut, "/media/{key+}", Guard::kPublic},  // the signature is the credential
    // Inventory
    GuardRow{Method::kGet, "/inventory/{id}", Guard::kPublic},
    GuardRow{Method::kPut, "/inventory/{id}", Guard::kAdmin},
    GuardRow{Method::kPost, "/inventory/{id}/reserve", Guard::kInternal},
    GuardRow{Method::kPost, "/inventory/{id}/release", Guard::kInternal},
    GuardRow{Method::kPost, "/inventory/{id}/ship", Guard::kInternal},
    // Cart (own data only)
    GuardRow{Method::kGet, "/cart", Guard::kUser},
    GuardRow{Method::kDelete, "/cart", Guard::kUser},
    GuardRow{Method::kPost, "/cart/items", Guard::kUser},
    GuardRow{Method::kPut, "/cart/items/{id}", Guard::kUser},
    GuardRow{Method::kDelete, "/cart/items/{id}", Guard::kUser},
    // Orders (own data only)
    GuardRow{Method::kPost, "/orders/checkout", Guard::kUser},
    GuardRow{Method::kGet, "/orders", Guard::kUser},
    GuardRow{Method::kGet, "/orders/{id}", Guard::kUser},
    GuardRow{Method::kPost, "/orders/{id}/cancel", Guard::kUser},
    GuardRow{Method::kPost, "/orders/{id}/ship", Guard::kAdmin},
    GuardRow{Method::kPost, "/orders/{id}/refund", Guard::kAdmin},
    GuardRow{Method::kGet, "/admin/orders", Guard::kAdmin},
    // Payments (own data only)
    GuardRow{Method::kPost, "/payments", Guard::kUser},
    GuardRow{Method::kGet, "/payments/{id}", Guard::kUser},
    // Notifications
    GuardRow{Method::kPost, "/notifications/user-registered", Guard::kInternal},
    GuardRow{Method::kPost, "/notifications/order-confirmed", Guard::kInternal},
    GuardRow{Method::kPost, "/notifications/payment-failed", Guard::kInternal},
    GuardRow{Method::kPost, "/notifications/verification-code", Guard::kInternal},
    GuardRow{Method::kPost, "/notifications/order-shipped", Guard::kInternal},
    GuardRow{Method::kPost, "/notifications/order-refunded", Guard::kInternal},
    GuardRow{Method::kPost, "/notifications/password-reset-code", Guard::kInternal},
    // Operations
    GuardRow{Method::kGet, "/health", Guard::kPublic},
    GuardRow{Method::kGet, "/health/ready", Guard::kPublic},
    GuardRow{Method::kGet, "/db-test", Guard::kAdmin},
    GuardRow{Method::kGet, "/metrics", Guard::kInternal},
    GuardRow{Method::kGet, "/admin/inventory-audit", Guard::kAdmin},
    // Web pages (services/web): the storefront and admin shell and its assets.
    GuardRow{Method::kGet, "/", Guard::kPublic},
    GuardRow{Method::kGet, "/shop", Guard::kPublic},
    GuardRow{Method::kGet, "/shop/", Guard::kPublic},
    GuardRow{Method::kGet, "/shop/{page+}", Guard::kPublic},
    GuardRow{Method::kGet, "/openapi.json", Guard::kPublic},
    GuardRow{Method::kGet, "/docs", Guard::kPublic},
    // Internal calls between services in a split deployment.
    GuardRow{Method::kGet, "/inventory", Guard::kInternal},  // all stock levels, for the audit
    GuardRow{Method::kGet, "/internal/cart/{userId}", Guard::kInternal},
    GuardRow{Method::kPost, "/internal/cart/{userId}/clear", Guard::kInternal},
    GuardRow{Method::kPost, "/internal/cart/{userId}/restore", Guard::kInternal},
    GuardRow{Method::kGet, "/internal/orders/{id}", Guard::kInternal},
    GuardRow{Method::kPost, "/internal/orders/{id}/payment", Guard::kInternal},
    GuardRow{Method::kPost, "/internal/payments/refunds", Guard::kInternal},
};

}  // namespace

std::string_view guard_name(Guard g) {
  switch (g) {
    case Guard::kPublic:
      return "public";
    case Guard::kUser:
      return "user";
    case Guard::kAdmin:
      return "admin";
    case Guard::kInternal:
      return "internal";
  }
  return "?";
}

std::optional<Guard> guard_for(Method method, std::string_view pattern) {
  for (const auto& row : kGuardTable)
    if (row.method == method && row.pattern == pattern) return row.guard;
  return std::nullopt;
}

}  // namespace cloudretail::http
