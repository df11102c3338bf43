#include "health/health_routes.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

// Health runs in every process, whatever --services says.
void wire_health(App& app) { health::register_routes(app.router, *app.db, app.clock, app.metrics); }

}  // namespace cloudretail::app
