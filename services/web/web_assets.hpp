#pragma once
/// What the web pages serve: the embedded assets by path, each with its ETag and
/// whether its gzip copy is worth sending, and the page shell (index.html) with
/// the base path and asset version filled in.
#include <map>
#include <string>
#include <string_view>

namespace cloudretail::web {

struct ServedAsset {
  std::string_view body;
  std::string_view gzip;  // empty when compressing does not pay
  std::string content_type;
  std::string etag;  // quoted, as sent
};

class WebAssets {
 public:
  /// `public_prefix` is API_BASE_PATH ("" or e.g. "/dev"): the pages live under
  /// `<prefix>/shop/` and find the API at `<prefix>/`.
  explicit WebAssets(std::string public_prefix);

  /// An asset by its path under assets/ ("js/app.js"); nullptr when unknown.
  /// index.html is not served this way: it is the page shell.
  const ServedAsset* find(std::string_view path) const;
  /// The page shell every storefront and admin URL answers with.
  const ServedAsset& shell() const { return shell_; }
  /// The shell for the catalog's first page (`/shop/` without a query): it also
  /// preloads that page's `GET /products`, so the request leaves while the scripts load.
  const ServedAsset& catalog_shell() const { return catalog_shell_; }
  /// The page size the catalog asks for (the preloaded request must match it).
  static constexpr int kCatalogPageSize = 24;
  /// The segment in `/shop/assets/<version>/…` URLs.
  std::string_view version() const;
  const std::string& shop_path() const { return shop_path_; }
  /// Bytes of every script and style sheet, uncompressed (the page weight budget).
  std::size_t script_and_style_bytes() const;

 private:
  std::string shop_path_;  // "<prefix>/shop/"
  std::string shell_text_, catalog_shell_text_;
  ServedAsset shell_, catalog_shell_;
  std::map<std::string, ServedAsset, std::less<>> assets_;
};

}  // namespace cloudretail::web
