#pragma once
#include "http/router.hpp"
#include "product/product_service.hpp"

namespace cloudretail::product {

class CachedProductRepository;

/// GET /products, GET /products/{id} (public); POST /products and
/// POST /products/{id}/image-upload-url (admin). GET answers from `cache` on the
/// I/O thread when it can (the same cache `service` reads through).
void register_routes(http::Router& router, ProductService& service, CachedProductRepository& cache);

}  // namespace cloudretail::product
