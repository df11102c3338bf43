#include "web/web_routes.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

// The storefront and admin pages: static, so any process may serve them; the
// pages call the public API from the browser, never a service directly.
void wire_web(App& app) {
  app.web_assets = std::make_unique<web::WebAssets>(app.config.api_base_path);
  web::register_routes(app.router, *app.web_assets);
}

}  // namespace cloudretail::app
