#include "product/product_service.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <charconv>

#include "core/crypto.hpp"
#include "core/money.hpp"
#include "product/demo_catalog.hpp"
#include "product/product_repository.hpp"

namespace cloudretail::product {

namespace {

Error product_not_found() { return not_found("Product not found"); }
Error invalid(std::string message) { return bad_request(std::move(message), "InvalidParameter"); }

/// Characters, not bytes: a UTF-8 continuation byte does not start one.
size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

/// A description may hold line breaks and tabs, but no other control characters.
bool valid_description(std::string_view s) {
  if (utf8_length(s) > 2000) return false;
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) return false;
  return true;
}

// One message per rule, shared by create and update.
constexpr const char* kNameRule = "name must be 1-200 characters";
constexpr const char* kCategoryRule = "category must be 1-100 characters";
constexpr const char* kPriceRule = "price must be a positive number with at most 2 decimals";
constexpr const char* kDescriptionRule = "description must be at most 2000 characters";
constexpr const char* kImageKeyRule = "imageKey must be a relative key without '..', '\\' or empty segments";

bool valid_name(std::string_view s) { return !blank(s) && utf8_length(s) <= 200 && !has_control(s); }
bool valid_category(std::string_view s) { return !blank(s) && utf8_length(s) <= 100 && !has_control(s); }

std::optional<std::string> extension_for(std::string_view content_type) {
  if (content_type == "image/jpeg") return "jpg";
  if (content_type == "image/png") return "png";
  if (content_type == "image/webp") return "webp";
  return std::nullopt;
}

Error invalid_search(std::string message) { return bad_request(std::move(message), "InvalidParameterException"); }

/// The words of a search, split where the index tokenizers split (anything but a
/// letter or digit; bytes of non-ASCII letters are kept), ASCII lower-cased.
std::vector<std::string> search_words(std::string_view q) {
  std::vector<std::string> words;
  std::string word;
  for (unsigned char c : q) {
    if (std::isalnum(c) || c >= 0x80) {
      word += static_cast<char>(std::tolower(c));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Search cursors: "s:<score>:<productId>", base64url; a list cursor is a bare id,
// so one never passes for the other.
std::string encode_search_cursor(const SearchCursor& c) {
  return crypto::base64url_encode("s:" + std::to_string(c.score) + ":" + c.product_id);
}

std::optional<SearchCursor> decode_search_cursor(const std::string& token) {
  std::string raw;
  if (token.size() > 256 || !crypto::base64url_decode(token, raw) || raw.rfind("s:", 0) != 0) return std::nullopt;
  auto colon = raw.find(':', 2);
  if (colon == std::string::npos) return std::nullopt;
  SearchCursor c;
  const char* begin = raw.data() + 2;
  auto [ptr, ec] = std::from_chars(begin, raw.data() + colon, c.score);
  if (ec != std::errc() || ptr != raw.data() + colon) return std::nullopt;
  c.product_id = raw.substr(colon + 1);
  if (!is_valid_product_id(c.product_id)) return std::nullopt;
  return c;
}

}  // namespace

Result<ProductPage> ProductService::search(const std::string& q, int limit, const std::string& next_token,
                                           const std::optional<std::string>& category) {
  if (limit < 1 || limit > kMaxPageSize)
    return bad_request("limit must be an integer between 1 and 100", "InvalidParameterException");
  if (utf8_length(q) > 200) return invalid_search("q must be at most 200 characters");
  auto words = search_words(q);
  if (words.empty()) return invalid_search("q must contain a letter or digit");
  if (words.size() > 10) return invalid_search("q must have at most 10 words");
  if (category && (category->empty() || utf8_length(*category) > 100)) return invalid("Invalid category");
  std::optional<SearchCursor> after;
  if (!next_token.empty()) {
    after = decode_search_cursor(next_token);
    if (!after) return bad_request("Invalid nextToken", "InvalidParameterException");
  }
  auto hits = repo_.search(words, category, after, limit + 1);  // one extra row: more remain
  ProductPage page;
  if (static_cast<int>(hits.size()) > limit) {
    hits.resize(static_cast<size_t>(limit));
    page.next_token = encode_search_cursor({hits.back().score, hits.back().product.product_id});
  }
  page.items.reserve(hits.size());
  for (auto& h : hits) page.items.push_back(present(std::move(h.product)));
  return page;
}

ProductView ProductService::present(Product p) {
  ProductView v{std::move(p), std::nullopt};
  if (v.product.image_key) v.image_url = store_.presign_get(*v.product.image_key, signed_url_expires_);
  return v;
}

Result<std::string> ProductService::parse_cursor(const std::string& next_token,
                                                 const std::optional<std::string>& category) const {
  std::string after;
  if (!next_token.empty()) {
    // The cursor is the last productId of the previous page, base64url-encoded.
    if (!crypto::base64url_decode(next_token, after) || !is_valid_product_id(after))
      return bad_request("Invalid nextToken", "InvalidParameterException");
  }
  if (category && (category->empty() || utf8_length(*category) > 100)) return invalid("Invalid category");
  return after;
}

Result<PageRequest> ProductService::page_request(int limit, const std::string& next_token,
                                                 const std::optional<std::string>& category) const {
  if (limit < 1 || limit > kMaxPageSize)
    return bad_request("limit must be an integer between 1 and 100", "InvalidParameterException");
  auto after = parse_cursor(next_token, category);
  if (!after) return after.error();
  return PageRequest{std::move(*after), category, limit};
}

ProductPage ProductService::page(const PageRequest& request, std::vector<Product> rows) {
  ProductPage page;
  if (static_cast<int>(rows.size()) > request.limit) {
    rows.resize(static_cast<size_t>(request.limit));
    page.next_token = crypto::base64url_encode(rows.back().product_id);
  }
  page.items.reserve(rows.size());
  for (auto& p : rows) page.items.push_back(present(std::move(p)));
  return page;
}

Result<ProductPage> ProductService::list(int limit, const std::string& next_token,
                                         const std::optional<std::string>& category) {
  auto request = page_request(limit, next_token, category);
  if (!request) return request.error();
  return page(*request, repo_.list(request->after, request->category, request->rows_to_read()));
}

Result<ProductView> ProductService::get(const std::string& product_id) {
  if (!is_valid_product_id(product_id)) return product_not_found();
  auto p = repo_.find(product_id);
  if (!p) return product_not_found();
  return present(std::move(*p));
}

Result<ProductView> ProductService::create(Product p) {
  if (!is_valid_product_id(p.product_id))
    return invalid("productId must be 1-64 characters of letters, digits, '-' or '_'");
  if (!valid_name(p.name)) return invalid(kNameRule);
  if (!valid_category(p.category)) return invalid(kCategoryRule);
  if (p.price_minor <= 0) return invalid(kPriceRule);
  if (!is_currency_code(p.currency)) return invalid("currency must be three upper-case letters (ISO 4217)");
  if (p.image_key && !objects::is_safe_key(*p.image_key)) return invalid(kImageKeyRule);
  if (!valid_description(p.description)) return invalid(kDescriptionRule);
  p.created_at_ms = clock_.now_ms();
  if (!repo_.insert(p)) return conflict("Product already exists", "ProductAlreadyExists");
  return present(std::move(p));
}

Result<ProductView> ProductService::update(const std::string& product_id, const ProductPatch& patch) {
  if (!is_valid_product_id(product_id)) return product_not_found();
  if (patch.empty()) return invalid("Give at least one of name, description, price, category, imageKey");
  if (patch.name && !valid_name(*patch.name)) return invalid(kNameRule);
  if (patch.category && !valid_category(*patch.category)) return invalid(kCategoryRule);
  if (patch.price_minor && *patch.price_minor <= 0) return invalid(kPriceRule);
  if (patch.description && !valid_description(*patch.description)) return invalid(kDescriptionRule);
  if (patch.image_key && *patch.image_key && !objects::is_safe_key(**patch.image_key)) return invalid(kImageKeyRule);
  auto updated = repo_.update(product_id, patch, clock_.now_ms());
  if (!updated) return product_not_found();
  return present(std::move(*updated));
}

Status ProductService::archive(const std::string& product_id) {
  if (!is_valid_product_id(product_id)) return product_not_found();
  const bool archived = repo_.archive(product_id, clock_.now_ms());
  if (!archived) return product_not_found();
  return ok_status();
}

Result<std::vector<CategoryCount>> ProductService::categories() { return repo_.categories(); }

Result<ImageUpload> ProductService::create_image_upload(const std::string& product_id,
                                                        const std::string& content_type) {
  auto ext = extension_for(content_type);
  if (!ext) return invalid("contentType must be image/jpeg, image/png or image/webp");
  if (!is_valid_product_id(product_id)) return product_not_found();
  std::string key = "products/" + product_id + "." + *ext;
  auto updated = repo_.set_image_key(product_id, key);
  if (!updated) return product_not_found();
  return ImageUpload{store_.presign_put(key, content_type, signed_url_expires_), key, signed_url_expires_};
}

Result<ProductSummary> ProductService::summary(const std::string& product_id) {
  if (!is_valid_product_id(product_id)) return product_not_found();
  auto p = repo_.find(product_id);
  if (!p) return product_not_found();
  return ProductSummary{p->product_id, p->name, p->category, p->price_minor, p->currency};
}

void ProductService::seed_demo_catalog() {
  int created = 0;
  for (const auto& d : demo_catalog()) {
    std::string key = std::string("products/") + d.product_id + ".png";
    auto stored = store_.put(key, demo_image(d.color), "image/png");
    if (!stored) spdlog::warn("seed: image {} not stored: {}", key, stored.error().message);
    Product p{d.product_id,    d.name, d.category,
              d.price_minor,   "USD",  stored ? std::optional<std::string>(key) : std::nullopt,
              clock_.now_ms(), "",     std::nullopt};
    if (repo_.insert(p)) {
      ++created;
    } else if (stored) {
      // Already there: keep it as it is, but give it the image if it has none.
      auto existing = repo_.find(d.product_id);
      if (existing && !existing->image_key) repo_.set_image_key(d.product_id, key);
    }
  }
  spdlog::info("seed: {} product(s) created, {} already present", created,
               static_cast<int>(demo_catalog().size()) - created);
}

}  // namespace cloudretail::product
