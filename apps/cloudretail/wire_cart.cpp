#include "cart/cart_internal_routes.hpp"
#include "cart/cart_repository.hpp"
#include "cart/cart_routes.hpp"
#include "cart/cart_service.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

std::shared_ptr<cart::CartClient> wire_cart(App& app, product::ProductClient& products,
                                            inventory::InventoryClient& inventory) {
  for (auto& m : cart::CartRepository::migrations(app.db->dialect())) app.migrations.push_back(m);
  auto& parts = app.cart.emplace();
  parts.repository = std::make_unique<cart::CartRepository>(*app.db);
  auto& stock_outs = app.metrics.counter("cloudretail_stock_outs_total", "Requests refused for lack of stock");
  parts.service = std::make_unique<cart::CartService>(*parts.repository, products, inventory, app.clock, &stock_outs);
  auto client = std::make_shared<cart::LocalCartClient>(*parts.repository, app.clock);
  cart::register_routes(app.router, *parts.service);
  cart::register_internal_routes(app.router, *client);
  return client;
}

}  // namespace cloudretail::app
