#pragma once
#include <string>

#include "http/router.hpp"

namespace cloudretail::apidocs {

/// GET /openapi.json (the document) and GET /docs (its HTML reference), both
/// built once at start and answered on the I/O thread. `api_base_path` (e.g.
/// "/dev") becomes the document's server URL. Runs in every process.
void register_routes(http::Router& router, const std::string& api_base_path);

}  // namespace cloudretail::apidocs
