#include "product/media_routes.hpp"

#include "core/json_writer.hpp"

namespace cloudretail::product {

namespace {

Status check(const http::Request& req, objects::LocalObjectStore& store, std::string_view method) {
  return store.verify(method, req.param("key"), req.query_param("expires").value_or(""),
                      req.query_param("signature").value_or(""));
}

}  // namespace

void register_media_routes(http::Router& router, objects::LocalObjectStore& store) {
  router.add(http::Method::kGet, "/media/{key+}", [&store](http::Request& req) -> Result<http::Response> {
    if (auto ok = check(req, store, "GET"); !ok) return ok.error();
    auto bytes = store.read(req.param("key"));
    if (!bytes) return bytes.error();
    http::Response r;
    r.status = 200;
    r.body = std::move(*bytes);
    r.content_type = objects::content_type_for_key(req.param("key"));
    r.headers.emplace_back("Cache-Control", "private, max-age=60");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
  });

  router.add(http::Method::kPut, "/media/{key+}", [&store](http::Request& req) -> Result<http::Response> {
    const std::string& key = req.param("key");
    if (auto ok = check(req, store, "PUT"); !ok) return ok.error();
    if (req.body.empty()) return bad_request("Empty upload", "InvalidParameter");
    if (auto ok = store.put(key, req.body, objects::content_type_for_key(key)); !ok) return ok.error();
    JsonWriter w;
    w.begin_object().field("message", "Upload complete").field("key", key).end_object();
    return http::Response::json(200, w.take());
  });
}

}  // namespace cloudretail::product
