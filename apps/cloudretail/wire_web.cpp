#include "web/web_routes.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

// The storefront and admin pages: static, so any process may serve them; the
// pages call the public API from the browser, never a service directly.
void wire_web(App& app) {
  if (!app.config.runs("web")) return;
  auto assets = app.make<web::WebAssets>(app.config.api_base_path);
  web::register_routes(app.router, *assets);
}

}  // namespace cloudretail::app
