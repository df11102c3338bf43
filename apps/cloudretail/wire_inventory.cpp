#include "inventory/inventory_repository.hpp"
#include "inventory/inventory_routes.hpp"
#include "inventory/inventory_service.hpp"
#include "product/demo_catalog.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

std::shared_ptr<inventory::InventoryClient> wire_inventory(App& app) {
  for (auto& m : inventory::InventoryRepository::migrations(app.db->dialect())) app.migrations.push_back(m);
  auto& parts = app.inventory.emplace();
  parts.repository = std::make_unique<inventory::InventoryRepository>(*app.db);
  parts.service = std::make_unique<inventory::InventoryService>(*parts.repository, app.clock);
  inventory::register_routes(app.router, *parts.service);

  // `cloudretail seed`: stock for the demo catalog, only where none is recorded
  // yet, so a re-run never resets levels that orders have since moved.
  app.seed_tasks.push_back([repo = parts.repository.get(), &app] {
    for (const auto& d : product::demo_catalog())
      if (!repo->find(d.product_id)) repo->upsert(d.product_id, d.stock, 0, app.clock.now_ms());
  });
  return std::make_shared<inventory::LocalInventoryClient>(*parts.service);
}

}  // namespace cloudretail::app
