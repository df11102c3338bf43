#pragma once
/// The storefront and admin pages: `GET /` redirects to `/shop/`; every path under
/// `/shop/` answers the page shell (the pages route in the browser, so deep links
/// load directly), except `/shop/assets/<version>/…`, the scripts and styles.
#include "http/router.hpp"
#include "web/web_assets.hpp"

namespace cloudretail::web {

void register_routes(http::Router& router, const WebAssets& assets);

}  // namespace cloudretail::web
