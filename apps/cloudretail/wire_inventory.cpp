#include "inventory/inventory_http_client.hpp"
#include "inventory/inventory_repository.hpp"
#include "inventory/inventory_routes.hpp"
#include "inventory/inventory_service.hpp"
#include "product/demo_catalog.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

void wire_inventory(App& app) {
  if (!app.config.runs("inventory")) {
    // Split deployment: inventory answers over HTTP at INVENTORY_API_BASE.
    if (!app.config.inventory_api_base.empty())
      app.inventory_client =
          app.make<inventory::HttpInventoryClient>(app.config.inventory_api_base, app.config.service_token);
    return;
  }
  for (auto& m : inventory::InventoryRepository::migrations()) app.migrations.push_back(m);
  auto repo = app.make<inventory::InventoryRepository>(*app.db);
  auto service = app.make<inventory::InventoryService>(*repo, app.clock);
  app.inventory_client = app.make<inventory::LocalInventoryClient>(*service);
  inventory::register_routes(app.router, *service);

  // `cloudretail seed`: stock for the demo catalog, only where none is recorded
  // yet, so a re-run never resets levels that orders have since moved.
  app.seed_tasks.push_back([repo, &app] {
    for (const auto& d : product::demo_catalog())
      if (!repo->find(d.product_id)) repo->upsert(d.product_id, d.stock, 0, app.clock.now_ms());
  });
}

}  // namespace cloudretail::app
