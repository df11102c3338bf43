#include <memory>

#include "objects/local_object_store.hpp"
#include "objects/object_store.hpp"
#include "objects/url_reusing_store.hpp"
#include "product/cached_product_repository.hpp"
#include "product/media_routes.hpp"
#include "product/product_routes.hpp"
#include "product/product_service.hpp"
#include "product/sql_product_repository.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

namespace {

/// Base of local media URLs: PUBLIC_BASE_URL, else http://HOST:PORT + API_BASE_PATH.
/// With PORT=0 (port unknown until listening) or a wildcard host, URLs are
/// path-only here and the routes complete them with the request's Host.
std::string media_base_url(const Config& c) {
  if (!c.public_base_url.empty()) return c.public_base_url;
  if (c.port == 0 || c.host == "0.0.0.0" || c.host == "::" || c.host.empty()) return c.api_base_path;
  std::string host = c.host.find(':') != std::string::npos ? "[" + c.host + "]" : c.host;
  return "http://" + host + ":" + std::to_string(c.port) + c.api_base_path;
}

}  // namespace

std::shared_ptr<product::ProductClient> wire_product(App& app) {
  const Config& c = app.config;
  for (auto& m : product::SqlProductRepository::migrations(app.db->dialect())) app.migrations.push_back(m);

  objects::StoreOptions store_options;
  store_options.kind = c.object_store;
  store_options.data_dir = c.data_dir;
  store_options.base_url = media_base_url(c);
  store_options.bucket = c.s3_bucket;
  store_options.region = c.aws_region;
  store_options.endpoint = c.s3_endpoint;
  store_options.access_key_id = c.aws_access_key_id;
  store_options.secret_access_key = c.aws_secret_access_key;
  auto& parts = app.product.emplace();
  parts.store = objects::make_object_store(store_options, app.clock);

  // The service reads and writes through the cache; the routes also ask the cache
  // directly, on the I/O thread. The service signs through a store that reuses a URL
  // within its second; the media routes serve the local store itself.
  parts.sql = std::make_unique<product::SqlProductRepository>(*app.db);
  parts.cache = std::make_unique<product::CachedProductRepository>(*parts.sql, app.clock);
  parts.signer = std::make_unique<objects::UrlReusingStore>(*parts.store, app.clock);
  parts.service =
      std::make_unique<product::ProductService>(*parts.cache, *parts.signer, app.clock, c.signed_url_expires);
  product::register_routes(app.router, *parts.service, *parts.cache);
  if (auto* local = dynamic_cast<objects::LocalObjectStore*>(parts.store.get()))
    product::register_media_routes(app.router, *local);

  app.seed_tasks.push_back([service = parts.service.get()] { service->seed_demo_catalog(); });
  return std::make_shared<product::LocalProductClient>(*parts.service);
}

}  // namespace cloudretail::app
