#include "product/cached_product_repository.hpp"

#include <mutex>

namespace cloudretail::product {

std::optional<Product> CachedProductRepository::peek(const std::string& product_id) const {
  std::shared_lock lock(mutex_);
  auto it = products_.find(product_id);
  if (it == products_.end() || !fresh(it->second.stored_at_ms)) return std::nullopt;
  return it->second.value;
}

std::optional<std::vector<Product>> CachedProductRepository::peek_list(const std::string& after,
                                                                       const std::optional<std::string>& category,
                                                                       int limit) const {
  std::shared_lock lock(mutex_);
  auto it = pages_.find(PageKey{after, category, limit});
  if (it == pages_.end() || !fresh(it->second.stored_at_ms)) return std::nullopt;
  return it->second.value;
}

std::optional<Product> CachedProductRepository::find(const std::string& product_id) {
  uint64_t generation;
  {
    std::shared_lock lock(mutex_);
    if (auto it = products_.find(product_id); it != products_.end() && fresh(it->second.stored_at_ms))
      return it->second.value;
    generation = generation_;
  }
  auto product = inner_.find(product_id);  // outside the lock: the database may take a while
  if (!product) return std::nullopt;       // unknown ids are not cached: they cost a lookup each time
  std::unique_lock lock(mutex_);
  if (generation == generation_) {
    if (products_.size() >= limits_.max_products) products_.clear();
    products_.insert_or_assign(product_id, Entry<Product>{clock_.now_ms(), *product});
  }
  return product;
}

std::vector<Product> CachedProductRepository::list(const std::string& after, const std::optional<std::string>& category,
                                                   int limit) {
  PageKey key{after, category, limit};
  uint64_t generation;
  {
    std::shared_lock lock(mutex_);
    if (auto it = pages_.find(key); it != pages_.end() && fresh(it->second.stored_at_ms)) return it->second.value;
    generation = generation_;
  }
  auto rows = inner_.list(after, category, limit);
  std::unique_lock lock(mutex_);
  if (generation == generation_) {
    if (pages_.size() >= limits_.max_pages) pages_.clear();
    pages_.insert_or_assign(std::move(key), Entry<std::vector<Product>>{clock_.now_ms(), rows});
  }
  return rows;
}

std::vector<CategoryCount> CachedProductRepository::categories() {
  uint64_t generation;
  {
    std::shared_lock lock(mutex_);
    if (categories_ && fresh(categories_->stored_at_ms)) return categories_->value;
    generation = generation_;
  }
  auto counts = inner_.categories();
  std::unique_lock lock(mutex_);
  if (generation == generation_) categories_ = Entry<std::vector<CategoryCount>>{clock_.now_ms(), counts};
  return counts;
}

template <class Write>
auto CachedProductRepository::write_through(const std::string& product_id, Write write) {
  // Dropped after the write: a read that raced it cannot store the old row (generation).
  struct DropAfter {
    CachedProductRepository& cache;
    const std::string& product_id;
    ~DropAfter() { cache.invalidate(product_id); }
  } drop{*this, product_id};
  return write();
}

void CachedProductRepository::invalidate(const std::string& product_id) {
  std::unique_lock lock(mutex_);
  ++generation_;
  products_.erase(product_id);
  pages_.clear();  // any page may hold the product, or now have room for it
  categories_.reset();
}

bool CachedProductRepository::insert(const Product& p) {
  return write_through(p.product_id, [&] { return inner_.insert(p); });
}

std::optional<Product> CachedProductRepository::set_image_key(const std::string& product_id,
                                                              const std::string& image_key) {
  return write_through(product_id, [&] { return inner_.set_image_key(product_id, image_key); });
}

std::optional<Product> CachedProductRepository::update(const std::string& product_id, const ProductPatch& patch,
                                                       int64_t now_ms) {
  return write_through(product_id, [&] { return inner_.update(product_id, patch, now_ms); });
}

bool CachedProductRepository::archive(const std::string& product_id, int64_t now_ms) {
  return write_through(product_id, [&] { return inner_.archive(product_id, now_ms); });
}

}  // namespace cloudretail::product
