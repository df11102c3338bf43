#include "peers.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <vector>

#include "authn/jwks_verifier.hpp"
#include "cart/cart_http_client.hpp"
#include "inventory/inventory_http_client.hpp"
#include "notification/notification_http_client.hpp"
#include "order/order_http_client.hpp"
#include "payment/payment_http_client.hpp"
#include "product/product_http_client.hpp"

namespace cloudretail::app {

namespace {

/// Which peers each service calls and cannot do without.
struct Needs {
  const char* service;
  std::vector<const char*> peers;
};
const std::vector<Needs>& needs() {
  static const std::vector<Needs> table{
      {"product", {"auth"}},
      {"inventory", {"auth"}},
      {"cart", {"auth", "product", "inventory"}},
      {"order", {"auth", "cart", "product", "inventory"}},
      {"payment", {"auth", "order"}},
  };
  return table;
}

/// The configured address of a peer ("" when none).
const std::string& api_base(const Config& c, const std::string& peer) {
  if (peer == "auth") return c.auth_api_base;
  if (peer == "product") return c.product_api_base;
  if (peer == "cart") return c.cart_api_base;
  if (peer == "inventory") return c.inventory_api_base;
  if (peer == "order") return c.order_api_base;
  if (peer == "payment") return c.payment_api_base;
  if (peer == "notification") return c.notification_api_base;
  throw std::logic_error("wiring: no API base for " + peer);
}

std::string variable(std::string peer) {
  for (auto& ch : peer) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return peer + "_API_BASE";
}

}  // namespace

void check_peers(const Config& config) {
  std::string missing;
  for (const auto& [service, peers] : needs()) {
    if (!config.runs(service)) continue;
    for (const char* peer : peers) {
      if (config.runs(peer) || !api_base(config, peer).empty()) continue;
      missing += missing.empty() ? "" : "; ";
      missing += std::string(service) + " needs " + peer + " (set " + variable(peer) + ")";
    }
  }
  if (!missing.empty()) throw ConfigError("a peer is neither in --services nor given an address: " + missing);
}

Peers remote_peers(const Config& c, const Clock& clock) {
  Peers p;
  auto remote = [&c](const char* peer) { return !c.runs(peer) && !api_base(c, peer).empty(); };
  if (remote("auth"))
    p.tokens = authn::make_jwks_verifier(c.auth_api_base, c.jwt_issuer, clock);
  else if (!c.runs("auth"))
    spdlog::warn("auth: AUTH_API_BASE is not set; bearer tokens will be refused");
  if (remote("notification"))
    p.notification = std::make_shared<notification::HttpNotificationClient>(c.notification_api_base, c.service_token);
  if (remote("inventory"))
    p.inventory = std::make_shared<inventory::HttpInventoryClient>(c.inventory_api_base, c.service_token);
  if (remote("product")) p.product = std::make_shared<product::HttpProductClient>(c.product_api_base, c.service_token);
  if (remote("cart")) p.cart = std::make_shared<cart::HttpCartClient>(c.cart_api_base, c.service_token);
  if (remote("order")) p.order = std::make_shared<order::HttpOrderClient>(c.order_api_base, c.service_token);
  if (remote("payment")) p.payment = std::make_shared<payment::HttpPaymentClient>(c.payment_api_base, c.service_token);
  return p;
}

}  // namespace cloudretail::app
