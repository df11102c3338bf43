#include "product/product_routes.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "core/json_read.hpp"
#include "core/json_writer.hpp"
#include "core/money.hpp"
#include "http/list_params.hpp"
#include "product/cached_product_repository.hpp"
#include "product/product_codec.hpp"

namespace cloudretail::product {

namespace {

/// The local store, with no PUBLIC_BASE_URL and PORT=0, signs path-only URLs:
/// make them absolute with the Host the client used.
std::string absolute(const std::string& url, const http::Request& req) {
  if (url.empty() || url.front() != '/') return url;
  std::string_view host = req.header("Host");
  if (host.empty()) return url;
  return "http://" + std::string(host) + url;
}

void write_product(JsonWriter& w, const ProductView& v, const http::Request& req) {
  const Product& p = v.product;
  w.begin_object();
  write_summary_fields(w, p.product_id, p.name, p.category, p.price_minor, p.currency);
  w.field("description", p.description);
  if (p.image_key) w.field("imageKey", *p.image_key);
  if (v.image_url) w.field("imageUrl", absolute(*v.image_url, req));
  w.field("createdAt", format_timestamp(p.created_at_ms));
  if (p.updated_at_ms) w.field("updatedAt", format_timestamp(*p.updated_at_ms));
  w.end_object();
}

Error invalid(std::string message) { return bad_request(std::move(message), "InvalidParameter"); }

/// A required string field; a missing or non-string value is a 400 naming it.
Result<std::string> required_string(const boost::json::object& body, std::string_view key, const char* message) {
  auto v = json_string(body, key);
  if (!v) return invalid(message);
  return *v;
}

Result<Product> parse_product(const boost::json::object& body) {
  Product p;
  auto id = required_string(body, "productId", "productId must be 1-64 characters of letters, digits, '-' or '_'");
  if (!id) return id.error();
  auto name = required_string(body, "name", "name must be 1-200 characters");
  if (!name) return name.error();
  auto category = required_string(body, "category", "category must be 1-100 characters");
  if (!category) return category.error();
  auto price_it = body.find("price");
  std::optional<int64_t> price;
  if (price_it != body.end()) price = money_from_json(price_it->value());
  if (!price) return invalid("price must be a positive number with at most 2 decimals");
  auto currency = required_string(body, "currency", "currency must be three upper-case letters (ISO 4217)");
  if (!currency) return currency.error();
  p.product_id = std::move(*id);
  p.name = std::move(*name);
  p.category = std::move(*category);
  p.price_minor = *price;
  p.currency = std::move(*currency);
  if (auto it = body.find("imageKey"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_string())
      return invalid("imageKey must be a relative key without '..', '\\' or empty segments");
    p.image_key = std::string(it->value().get_string());
  }
  if (auto it = body.find("description"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_string()) return invalid("description must be at most 2000 characters");
    p.description = std::string(it->value().get_string());
  }
  return p;
}

/// An optional string field of a PATCH body: absent stays absent; a non-string is a 400.
Status read_patch_string(const boost::json::object& body, std::string_view key, const char* message,
                         std::optional<std::string>& out) {
  auto it = body.find(key);
  if (it == body.end()) return ok_status();
  if (!it->value().is_string()) return invalid(message);
  out = std::string(it->value().get_string());
  return ok_status();
}

/// PATCH body: name, description, price, category, imageKey (null removes it).
/// productId and currency cannot change: naming another value is a 400.
Result<ProductPatch> parse_patch(const boost::json::object& body, const std::string& product_id) {
  if (auto it = body.find("productId");
      it != body.end() && !(it->value().is_string() && it->value().get_string() == product_id))
    return invalid("productId cannot change");
  if (body.contains("currency")) return invalid("currency cannot change");
  ProductPatch patch;
  if (auto s = read_patch_string(body, "name", "name must be 1-200 characters", patch.name); !s) return s.error();
  if (auto s = read_patch_string(body, "category", "category must be 1-100 characters", patch.category); !s)
    return s.error();
  if (auto it = body.find("description"); it != body.end()) {
    if (it->value().is_null())
      patch.description = std::string();
    else if (auto s = read_patch_string(body, "description", "description must be at most 2000 characters",
                                        patch.description);
             !s)
      return s.error();
  }
  if (auto it = body.find("price"); it != body.end()) {
    auto price = money_from_json(it->value());
    if (!price) return invalid("price must be a positive number with at most 2 decimals");
    patch.price_minor = *price;
  }
  if (auto it = body.find("imageKey"); it != body.end()) {
    if (it->value().is_null()) {
      patch.image_key = std::optional<std::string>();
    } else if (it->value().is_string()) {
      patch.image_key = std::optional<std::string>(std::string(it->value().get_string()));
    } else {
      return invalid("imageKey must be a relative key without '..', '\\' or empty segments");
    }
  }
  return patch;
}

http::Response product_reply(int status, std::string_view message, const ProductView& v, const http::Request& req) {
  JsonWriter w;
  w.begin_object().field("message", message).key("product");
  write_product(w, v, req);
  w.end_object();
  return http::Response::json(status, w.take());
}

http::Response page_reply(const ProductPage& page, const http::Request& req) {
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& v : page.items) write_product(w, v, req);
  w.end_array().field("count", static_cast<int64_t>(page.items.size()));
  if (page.next_token) w.field("nextToken", *page.next_token);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response product_json(const ProductView& v, const http::Request& req) {
  JsonWriter w;
  write_product(w, v, req);
  return http::Response::json(200, w.take());
}

/// The list parameters every GET /products reads; a bad limit is the answer.
struct ListParams {
  int limit;
  std::optional<std::string> category;
  std::string next_token;
};
Result<ListParams> list_params(const http::Request& req) {
  auto limit = http::list_limit(req);
  if (!limit) return limit.error();
  auto category = req.query_param("category");
  if (category && category->empty()) category.reset();
  return ListParams{*limit, std::move(category), req.query_param("nextToken").value_or("")};
}

}  // namespace

void register_routes(http::Router& router, ProductService& service, CachedProductRepository& cache) {
  // GET /products and GET /products/{id} run on the worker pool (they may read the
  // database), but first try the read cache on the I/O thread: a hit is answered
  // there, without the hop to the pool and back.
  auto list = [&service](http::Request& req) -> Result<http::Response> {
    auto params = list_params(req);
    if (!params) return params.error();
    auto q = req.query_param("q");
    auto page = q && !q->empty() ? service.search(*q, params->limit, params->next_token, params->category)
                                 : service.list(params->limit, params->next_token, params->category);
    if (!page) return page.error();
    return page_reply(*page, req);
  };
  auto list_from_cache = [&service, &cache](http::Request& req) -> std::optional<http::Response> {
    auto params = list_params(req);
    if (!params) return http::Response::from_error(params.error());
    if (auto q = req.query_param("q"); q && !q->empty()) return std::nullopt;  // searches are not cached
    auto request = service.page_request(params->limit, params->next_token, params->category);
    if (!request) return http::Response::from_error(request.error());
    auto rows = cache.peek_list(request->after, request->category, request->rows_to_read());
    if (!rows) return std::nullopt;
    return page_reply(service.page(*request, std::move(*rows)), req);
  };
  router.add(http::Method::kGet, "/products", list, http::RouteOptions{.try_inline = list_from_cache});

  auto get = [&service](http::Request& req) -> Result<http::Response> {
    auto v = service.get(req.param("id"));
    if (!v) return v.error();
    return product_json(*v, req);
  };
  auto get_from_cache = [&service, &cache](http::Request& req) -> std::optional<http::Response> {
    auto product = cache.peek(req.param("id"));
    if (!product) return std::nullopt;  // not cached, or no such product: get() decides
    return product_json(service.present(std::move(*product)), req);
  };
  router.add(http::Method::kGet, "/products/{id}", get, http::RouteOptions{.try_inline = get_from_cache});

  router.add(http::Method::kPost, "/products", [&service](http::Request& req) -> Result<http::Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto product = parse_product(*body);
    if (!product) return product.error();
    auto created = service.create(std::move(*product));
    if (!created) return created.error();
    return product_reply(201, "Product created", *created, req);
  });

  router.add(http::Method::kPatch, "/products/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto patch = parse_patch(*body, req.param("id"));
    if (!patch) return patch.error();
    auto updated = service.update(req.param("id"), *patch);
    if (!updated) return updated.error();
    return product_reply(200, "Product updated", *updated, req);
  });

  router.add(http::Method::kDelete, "/products/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto archived = service.archive(req.param("id"));
    if (!archived) return archived.error();
    return http::Response::message(200, "Product archived");
  });

  router.add(http::Method::kGet, "/categories", [&service](http::Request&) -> Result<http::Response> {
    auto counts = service.categories();
    if (!counts) return counts.error();
    JsonWriter w;
    w.begin_object().key("items").begin_array();
    for (const auto& c : *counts) w.begin_object().field("category", c.category).field("count", c.count).end_object();
    w.end_array().field("count", static_cast<int64_t>(counts->size())).end_object();
    return http::Response::json(200, w.take());
  });

  auto image_upload_url = [&service](http::Request& req) -> Result<http::Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto content_type = json_string(*body, "contentType").value_or("");
    auto upload = service.create_image_upload(req.param("id"), content_type);
    if (!upload) return upload.error();
    JsonWriter w;
    w.begin_object()
        .field("uploadUrl", absolute(upload->upload_url, req))
        .field("imageKey", upload->image_key)
        .field("expiresIn", static_cast<int64_t>(upload->expires_in))
        .end_object();
    return http::Response::json(200, w.take());
  };
  router.add(http::Method::kPost, "/products/{id}/image-upload-url", image_upload_url);
}

}  // namespace cloudretail::product
