#include "web/web_routes.hpp"

#include <string>

namespace cloudretail::web {

namespace {

// The pages load only their own scripts and styles; images may come from the
// object store (S3 is another origin) and uploads PUT to its pre-signed URLs.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https: http:; "
    "connect-src 'self' https: http:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  return !if_none_match.empty() && (if_none_match == "*" || if_none_match.find(etag) != std::string_view::npos);
}

// "gzip" listed, and not refused with q=0.
bool accepts_gzip(std::string_view accept_encoding) {
  auto pos = accept_encoding.find("gzip");
  if (pos == std::string_view::npos) return false;
  auto rest = accept_encoding.substr(pos + 4);
  auto end = rest.find(',');
  auto params = rest.substr(0, end);
  auto q = params.find("q=");
  if (q == std::string_view::npos) return true;
  auto value = params.substr(q + 2);
  return !(value.starts_with("0") && value.find_first_of("123456789") == std::string_view::npos);
}

http::Response serve(const http::Request& req, const ServedAsset& asset, std::string_view cache_control) {
  http::Response r;
  r.headers.emplace_back("ETag", asset.etag);
  r.headers.emplace_back("Cache-Control", std::string(cache_control));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (!asset.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (etag_matches(req.header("If-None-Match"), asset.etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = asset.content_type;
  if (!asset.gzip.empty() && accepts_gzip(req.header("Accept-Encoding"))) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = std::string(asset.gzip);
  } else {
    r.body = std::string(asset.body);
  }
  return r;
}

http::Response shell(const http::Request& req, const ServedAsset& page) {
  // Revalidated on every load: a new binary's shell names its new asset version.
  http::Response r = serve(req, page, "no-cache");
  r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  return r;
}

http::Response redirect(std::string location) {
  http::Response r;
  r.status = 302;
  r.content_type.clear();
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

}  // namespace

void register_routes(http::Router& router, const WebAssets& assets) {
  const http::RouteOptions in_memory{.blocking = false};
  router.add(
      http::Method::kGet, "/", [&assets](http::Request&) { return redirect(assets.shop_path()); }, in_memory);
  router.add(
      http::Method::kGet, "/shop", [&assets](http::Request&) { return redirect(assets.shop_path()); }, in_memory);
  router.add(
      http::Method::kGet, "/shop/",
      [&assets](http::Request& req) { return shell(req, req.query.empty() ? assets.catalog_shell() : assets.shell()); },
      in_memory);
  router.add(
      http::Method::kGet, "/shop/{page+}",
      [&assets](http::Request& req) {
        std::string_view page = req.param("page");
        if (!page.starts_with("assets/")) return shell(req, assets.shell());
        // assets/<version>/<path>: only this build's version exists; its files never change.
        page.remove_prefix(7);
        auto slash = page.find('/');
        const ServedAsset* asset = nullptr;
        if (slash != std::string_view::npos && page.substr(0, slash) == assets.version())
          asset = assets.find(page.substr(slash + 1));
        if (!asset) return http::Response::message(404, "Not found");
        return serve(req, *asset, "public, max-age=31536000, immutable");
      },
      in_memory);
}

}  // namespace cloudretail::web
