#include <spdlog/spdlog.h>

#include "cart/cart_http_client.hpp"
#include "cart/cart_repository.hpp"
#include "cart/cart_routes.hpp"
#include "cart/cart_service.hpp"
#include "cart/cart_internal_routes.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

void wire_cart(App& app) {
  if (!app.config.runs("cart")) {
    // Split deployment: checkout reaches the cart at CART_API_BASE.
    if (!app.config.cart_api_base.empty())
      app.cart_client = app.make<cart::HttpCartClient>(app.config.cart_api_base, app.config.service_token);
    return;
  }
  if (!app.product_client || !app.inventory_client) {
    spdlog::warn("cart: product or inventory client missing; cart routes not added");
    return;
  }
  for (auto& m : cart::CartRepository::migrations()) app.migrations.push_back(m);
  auto repo = app.make<cart::CartRepository>(*app.db);
  auto& stock_outs = app.metrics.counter("cloudretail_stock_outs_total", "Requests refused for lack of stock");
  auto service = app.make<cart::CartService>(*repo, *app.product_client, *app.inventory_client, app.clock, &stock_outs);
  app.cart_client = app.make<cart::LocalCartClient>(*repo, app.clock);
  cart::register_routes(app.router, *service);
  cart::register_internal_routes(app.router, *app.cart_client);
}

}  // namespace cloudretail::app
