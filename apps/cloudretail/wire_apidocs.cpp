#include "apidocs/apidocs_routes.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

// The API's own description runs in every process, like health: a gateway may
// send /openapi.json and /docs to any of them.
void wire_apidocs(App& app) { apidocs::register_routes(app.router, app.config.api_base_path); }

}  // namespace cloudretail::app
