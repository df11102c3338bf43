#pragma once
#include <string_view>

namespace cloudretail::apidocs {

/// The OpenAPI 3.1 document of the whole API: services/apidocs/openapi.json,
/// compiled in (the text as written, so money examples keep their two decimals).
std::string_view openapi_document();

}  // namespace cloudretail::apidocs
