// The product read cache (services/product/cached_product_repository) over a fake
// repository that counts its reads: hits, misses, invalidation by writes through
// the cache, the size bounds and the staleness bound on a fake clock. And the
// signed-URL reuse in front of an object store (libs/objects/url_reusing_store).
#include <gtest/gtest.h>

#include <map>

#include "core/clock.hpp"
#include "objects/url_reusing_store.hpp"
#include "product/cached_product_repository.hpp"

using namespace cloudretail;
using product::CachedProductRepository;
using product::Product;

namespace {

/// The catalog in a map; counts the reads that reached it.
class CountingRepository final : public product::ProductRepository {
 public:
  int finds = 0, lists = 0, category_reads = 0;
  std::map<std::string, Product> rows;

  bool insert(const Product& p) override { return rows.emplace(p.product_id, p).second; }
  std::optional<Product> find(const std::string& id) override {
    ++finds;
    auto it = rows.find(id);
    if (it == rows.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Product> list(const std::string& after, const std::optional<std::string>& category, int limit) override {
    ++lists;
    std::vector<Product> out;
    for (auto it = rows.upper_bound(after); it != rows.end() && static_cast<int>(out.size()) < limit; ++it)
      if (!category || it->second.category == *category) out.push_back(it->second);
    return out;
  }
  std::optional<Product> set_image_key(const std::string& id, const std::string& key) override {
    auto it = rows.find(id);
    if (it == rows.end()) return std::nullopt;
    it->second.image_key = key;
    return it->second;
  }
  std::optional<Product> update(const std::string& id, const product::ProductPatch& patch, int64_t now) override {
    auto it = rows.find(id);
    if (it == rows.end()) return std::nullopt;
    if (patch.price_minor) it->second.price_minor = *patch.price_minor;
    if (patch.name) it->second.name = *patch.name;
    it->second.updated_at_ms = now;
    return it->second;
  }
  bool archive(const std::string& id, int64_t) override { return rows.erase(id) == 1; }
  product::SearchRows search(const std::vector<std::string>&, const std::optional<std::string>&,
                             const std::optional<product::SearchCursor>&, int) override {
    return {};
  }
  std::vector<product::CategoryCount> categories() override {
    ++category_reads;
    std::map<std::string, int64_t> counts;
    for (auto& [id, p] : rows) ++counts[p.category];
    std::vector<product::CategoryCount> out;
    for (auto& [c, n] : counts) out.push_back({c, n});
    return out;
  }
};

Product make(std::string id, int64_t price = 1000, std::string category = "Books") {
  return {std::move(id), "Thing", std::move(category), price, "USD", std::nullopt, 0, "", std::nullopt};
}

class ProductCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* id : {"A", "B", "C"}) inner.rows.emplace(id, make(id));
  }
  FakeClock clock;
  CountingRepository inner;
  CachedProductRepository cache{inner, clock};
};

TEST_F(ProductCacheTest, ASecondReadIsAHitAndPeekSeesOnlyWhatIsCached) {
  EXPECT_FALSE(cache.peek("A"));  // nothing read yet: peek never asks the repository
  EXPECT_EQ(inner.finds, 0);
  ASSERT_TRUE(cache.find("A"));
  ASSERT_TRUE(cache.find("A"));
  EXPECT_EQ(inner.finds, 1);
  ASSERT_TRUE(cache.peek("A"));
  EXPECT_EQ(cache.peek("A")->price_minor, 1000);

  EXPECT_FALSE(cache.peek_list("", std::nullopt, 3));
  EXPECT_EQ(cache.list("", std::nullopt, 3).size(), 3u);
  EXPECT_EQ(cache.list("", std::nullopt, 3).size(), 3u);
  EXPECT_EQ(inner.lists, 1);
  ASSERT_TRUE(cache.peek_list("", std::nullopt, 3));
  EXPECT_FALSE(cache.peek_list("", std::nullopt, 2));  // another page size is another page
  EXPECT_FALSE(cache.peek_list("", std::string("Books"), 3));

  cache.categories();
  cache.categories();
  EXPECT_EQ(inner.category_reads, 1);
}

TEST_F(ProductCacheTest, AnUnknownProductIsAMissEveryTime) {
  EXPECT_FALSE(cache.find("Z"));
  EXPECT_FALSE(cache.find("Z"));
  EXPECT_EQ(inner.finds, 2);
  EXPECT_FALSE(cache.peek("Z"));
}

TEST_F(ProductCacheTest, EachWriteThroughTheCacheDropsWhatItChanged) {
  cache.find("A");
  cache.find("B");
  cache.list("", std::nullopt, 10);
  cache.categories();

  product::ProductPatch patch;
  patch.price_minor = 2500;
  ASSERT_TRUE(cache.update("A", patch, clock.now_ms()));
  EXPECT_FALSE(cache.peek("A"));
  EXPECT_FALSE(cache.peek_list("", std::nullopt, 10));  // every page may hold it
  EXPECT_TRUE(cache.peek("B"));                         // other products stay
  EXPECT_EQ(cache.find("A")->price_minor, 2500);
  EXPECT_EQ(cache.list("", std::nullopt, 10)[0].price_minor, 2500);
  cache.categories();
  EXPECT_EQ(inner.category_reads, 2);

  ASSERT_TRUE(cache.insert(make("D", 1000, "Games")));
  EXPECT_EQ(cache.list("", std::nullopt, 10).size(), 4u);
  EXPECT_EQ(cache.categories().size(), 2u);

  ASSERT_TRUE(cache.set_image_key("B", "products/B.png"));
  EXPECT_FALSE(cache.peek("B"));
  EXPECT_EQ(cache.find("B")->image_key.value_or(""), "products/B.png");

  ASSERT_TRUE(cache.archive("B", clock.now_ms()));
  EXPECT_FALSE(cache.find("B"));
  EXPECT_EQ(cache.list("", std::nullopt, 10).size(), 3u);

  // A write that finds nothing still drops (it is always safe to).
  cache.list("", std::nullopt, 10);
  EXPECT_FALSE(cache.update("Z", patch, clock.now_ms()));
  EXPECT_FALSE(cache.peek_list("", std::nullopt, 10));
}

TEST_F(ProductCacheTest, AWriteNotThroughTheCacheIsSeenWithinTheStalenessBound) {
  cache.find("A");
  cache.list("", std::nullopt, 10);
  inner.rows["A"].price_minor = 9999;  // another process writing the same database

  clock.advance_ms(999);
  EXPECT_EQ(cache.peek("A")->price_minor, 1000);  // still within 1 s: the old row
  EXPECT_EQ(cache.find("A")->price_minor, 1000);
  EXPECT_TRUE(cache.peek_list("", std::nullopt, 10));

  clock.advance_ms(1);  // 1 s after it was stored: expired
  EXPECT_FALSE(cache.peek("A"));
  EXPECT_FALSE(cache.peek_list("", std::nullopt, 10));
  EXPECT_EQ(cache.find("A")->price_minor, 9999);
  EXPECT_EQ(cache.list("", std::nullopt, 10)[0].price_minor, 9999);
  EXPECT_EQ(inner.finds, 2);
  EXPECT_EQ(inner.lists, 2);
}

TEST(ProductCache, HoldsAtMostItsBoundOfProductsAndPages) {
  FakeClock clock;
  CountingRepository inner;
  for (int i = 0; i < 10; ++i) inner.rows.emplace("P" + std::to_string(i), make("P" + std::to_string(i)));
  CachedProductRepository cache{inner, clock, {.ttl_ms = 1000, .max_products = 4, .max_pages = 2}};

  for (int i = 0; i < 10; ++i) cache.find("P" + std::to_string(i));
  int cached = 0;
  for (int i = 0; i < 10; ++i) cached += cache.peek("P" + std::to_string(i)) ? 1 : 0;
  EXPECT_LE(cached, 4);
  EXPECT_TRUE(cache.peek("P9"));  // the newest is always kept

  for (int limit = 1; limit <= 5; ++limit) cache.list("", std::nullopt, limit);
  int pages = 0;
  for (int limit = 1; limit <= 5; ++limit) pages += cache.peek_list("", std::nullopt, limit) ? 1 : 0;
  EXPECT_LE(pages, 2);
  EXPECT_TRUE(cache.peek_list("", std::nullopt, 5));
}

/// An object store that signs "url-<n>" with a counter: two signings never look alike.
class CountingSigner final : public objects::ObjectStore {
 public:
  int signed_urls = 0;
  std::string presign_get(const std::string& key, int expires) override {
    return key + "?e=" + std::to_string(expires) + "&n=" + std::to_string(++signed_urls);
  }
  std::string presign_put(const std::string& key, const std::string&, int) override { return "put:" + key; }
  Status put(const std::string&, std::string_view, const std::string&) override { return ok_status(); }
};

TEST(UrlReusingStore, ReusesAGetUrlOnlyWithinTheSecondItWasSignedIn) {
  FakeClock clock(1'770'112'800'000);
  CountingSigner inner;
  objects::UrlReusingStore store(inner, clock, 2);
  auto first = store.presign_get("a.png", 300);
  clock.advance_ms(999);
  EXPECT_EQ(store.presign_get("a.png", 300), first);
  EXPECT_EQ(inner.signed_urls, 1);
  EXPECT_NE(store.presign_get("a.png", 60), first);  // another expiry is another URL
  clock.advance_ms(1);                               // the next second: signed again
  EXPECT_NE(store.presign_get("a.png", 300), first);
  EXPECT_EQ(store.presign_put("a.png", "image/png", 300), "put:a.png");  // never reused

  for (const char* key : {"b", "c", "d"}) store.presign_get(key, 300);
  int before = inner.signed_urls;
  store.presign_get("d", 300);  // the newest stays within the bound of 2
  EXPECT_EQ(inner.signed_urls, before);
}

}  // namespace
