#pragma once
#include "http/router.hpp"
#include "product/product_service.hpp"

namespace cloudretail::product {

/// GET /products, GET /products/{id} (public); POST /products and
/// POST /products/{id}/image-upload-url (admin).
void register_routes(http::Router& router, ProductService& service);

}  // namespace cloudretail::product
