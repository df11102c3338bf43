#include "apidocs/apidocs_routes.hpp"

#include <memory>

#include "apidocs/docs_html.hpp"
#include "apidocs/openapi_document.hpp"
#include "core/json_writer.hpp"

namespace cloudretail::apidocs {

namespace {

/// The document with its server URL set to the API base path. The text is kept
/// as written (not re-serialized) so numbers such as 109.97 keep their form.
std::string document_for(const std::string& api_base_path) {
  std::string doc(openapi_document());
  if (api_base_path.empty()) return doc;
  const std::string placeholder = "\"url\": \"/\"";  // the first one is servers[0]
  if (auto at = doc.find(placeholder); at != std::string::npos)
    doc.replace(at, placeholder.size(), "\"url\": " + json_quote(api_base_path));
  return doc;
}

}  // namespace

void register_routes(http::Router& router, const std::string& api_base_path) {
  auto json = std::make_shared<const std::string>(document_for(api_base_path));
  auto html = std::make_shared<const std::string>(render_docs_html(*json));

  router.add(http::Method::kGet, "/openapi.json",
             [json](http::Request&) {
               http::Response r = http::Response::json(200, *json);
               r.headers.emplace_back("Cache-Control", "public, max-age=300");
               return r;
             },
             {.blocking = false});

  router.add(http::Method::kGet, "/docs",
             [html](http::Request&) {
               http::Response r;
               r.body = *html;
               r.content_type = "text/html; charset=utf-8";
               r.headers.emplace_back("Cache-Control", "public, max-age=300");
               // The page has no script and loads nothing from elsewhere.
               r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
               return r;
             },
             {.blocking = false});
}

}  // namespace cloudretail::apidocs
