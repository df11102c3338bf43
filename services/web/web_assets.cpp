#include "web/web_assets.hpp"

#include <stdexcept>

#include "core/crypto.hpp"
#include "web/embedded_assets.hpp"

namespace cloudretail::web {

namespace {

std::string_view view_of(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Small files gain little from gzip and cost a decompression; send those as they are.
bool gzip_pays(std::size_t raw, std::size_t gz) { return raw >= 1024 && gz * 10 < raw * 9; }

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

// An ETag value: the first 20 hex digits of the SHA-256, quoted. (Built by
// appending: GCC 12 warns falsely on "\"" + std::string + "\"".)
std::string etag_of(std::string_view sha256_hex) {
  std::string tag;
  tag.reserve(22);
  tag.push_back('"');
  tag.append(sha256_hex.substr(0, 20));
  tag.push_back('"');
  return tag;
}

}  // namespace

WebAssets::WebAssets(std::string public_prefix) : shop_path_(std::move(public_prefix) + "/shop/") {
  const EmbeddedAsset* index = nullptr;
  for (const auto& a : embedded_assets()) {
    if (std::string_view(a.path) == "index.html") {
      index = &a;
      continue;
    }
    ServedAsset served;
    served.body = view_of(a.data, a.size);
    if (gzip_pays(a.size, a.gzip_size)) served.gzip = view_of(a.gzip, a.gzip_size);
    served.content_type = a.content_type;
    served.etag = etag_of(a.sha256);
    assets_.emplace(a.path, std::move(served));
  }
  if (!index) throw std::logic_error("web assets: index.html is missing");
  // The shell names the base (so relative links work at any deep link) and the
  // versioned asset folder (so every asset may be cached for good).
  std::string text(view_of(index->data, index->size));
  replace_all(text, "%BASE%", shop_path_);
  replace_all(text, "%VERSION%", version());
  catalog_shell_text_ = text;
  // Relative to the base: the API's /products, as js/views/catalog.js asks for it.
  replace_all(catalog_shell_text_, "<!--%PRELOAD%-->",
              "<link rel=\"preload\" as=\"fetch\" crossorigin href=\"../products?limit=" +
                  std::to_string(kCatalogPageSize) + "\">");
  replace_all(text, "<!--%PRELOAD%-->\n", "");
  shell_text_ = std::move(text);
  for (auto [served, body] : {std::pair{&shell_, &shell_text_}, std::pair{&catalog_shell_, &catalog_shell_text_}}) {
    served->body = *body;
    served->content_type = index->content_type;
    served->etag = etag_of(crypto::sha256_hex(*body));
  }
}

const ServedAsset* WebAssets::find(std::string_view path) const {
  auto it = assets_.find(path);
  return it == assets_.end() ? nullptr : &it->second;
}

std::string_view WebAssets::version() const { return embedded_assets_version(); }

std::size_t WebAssets::script_and_style_bytes() const {
  std::size_t total = 0;
  for (const auto& [path, asset] : assets_)
    if (path.ends_with(".js") || path.ends_with(".css")) total += asset.body.size();
  return total;
}

}  // namespace cloudretail::web
