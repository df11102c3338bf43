#pragma once
#include <string>
#include <string_view>

namespace cloudretail::apidocs {

/// A self-contained HTML reference (no script, no CDN) rendered from an OpenAPI
/// 3.1 document: operations grouped by tag with their access, parameters, bodies,
/// responses and examples, then the schemas. Throws on a document that is not JSON.
std::string render_docs_html(std::string_view openapi_json);

}  // namespace cloudretail::apidocs
