#pragma once
#include "http/router.hpp"
#include "inventory/inventory_service.hpp"

namespace cloudretail::inventory {

/// GET /inventory (internal list), GET /inventory/{id} (public), PUT /inventory/{id} (admin),
/// POST /inventory/{id}/reserve and /release (internal).
void register_routes(http::Router& router, InventoryService& service);

}  // namespace cloudretail::inventory
