#pragma once
#include "http/router.hpp"
#include "objects/local_object_store.hpp"

namespace cloudretail::product {

/// GET and PUT /media/{key+} for the local object store: public routes whose
/// credential is the URL's signature (403 when missing, tampered or expired;
/// 400 for a key with "..", a backslash or an absolute path).
void register_media_routes(http::Router& router, objects::LocalObjectStore& store);

}  // namespace cloudretail::product
