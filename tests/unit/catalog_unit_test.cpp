// Catalog, inventory and object store without HTTP: the SigV4 signer against
// AWS's published example, local signed URLs, keyset paging over 1,000 products
// and 16 threads moving stock on one product. The repository-backed suites run
// on SQLite (label unit) and on PostgreSQL (label pg, skipped without a test cluster).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"
#include "inventory/inventory_repository.hpp"
#include "inventory/inventory_service.hpp"
#include "objects/local_object_store.hpp"
#include "objects/s3_presign.hpp"
#include "product/cached_product_repository.hpp"
#include "product/demo_catalog.hpp"
#include "product/product_service.hpp"
#include "product/sql_product_repository.hpp"

using namespace cloudretail;
namespace fs = std::filesystem;

namespace {

using cloudretail::testing::Backend;
using cloudretail::testing::FreshDatabase;
using cloudretail::testing::make_temp_dir;

/// The product and inventory tables on a fresh database of `fresh`'s backend.
std::unique_ptr<db::Database> open_catalog(const FreshDatabase& fresh, int pool) {
  auto db = fresh.open(pool);
  std::vector<db::Migration> ms = product::SqlProductRepository::migrations(db->dialect());
  for (auto& m : inventory::InventoryRepository::migrations(db->dialect())) ms.push_back(m);
  db::apply_migrations(*db, ms);
  return db;
}

std::string query_value(const std::string& url, const std::string& name) {
  auto pos = url.find(name + "=");
  if (pos == std::string::npos) return {};
  pos += name.size() + 1;
  return url.substr(pos, url.find('&', pos) - pos);
}

}  // namespace

// --- S3 Signature V4 ---------------------------------------------------------

TEST(S3Presign, ReproducesTheAwsDocumentationExample) {
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
  objects::PresignRequest r;
  r.method = "GET";
  r.host = "examplebucket.s3.amazonaws.com";
  r.path = "/test.txt";
  r.region = "us-east-1";
  r.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  r.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  r.now_seconds = 1369353600;  // 2013-05-24T00:00:00Z
  r.expires_seconds = 86400;
  EXPECT_EQ(objects::amz_date(r.now_seconds), "20130524T000000Z");
  std::string signature;
  std::string url = objects::presign_v4(r, &signature);
  EXPECT_EQ(signature, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  EXPECT_EQ(url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(S3Presign, VirtualHostAndPathStyleUrls) {
  FakeClock clock(1369353600000);
  objects::S3ObjectStore aws("shop-images", "eu-west-1", "", "AKID", "SECRET", clock);
  auto get = aws.presign_get("products/P 1.jpg", 300);
  EXPECT_EQ(get.rfind("https://shop-images.s3.eu-west-1.amazonaws.com/products/P%201.jpg?X-Amz-Algorithm=", 0), 0u)
      << get;
  EXPECT_EQ(query_value(get, "X-Amz-Expires"), "300");
  EXPECT_EQ(query_value(get, "X-Amz-Credential"), "AKID%2F20130524%2Feu-west-1%2Fs3%2Faws4_request");
  auto put = aws.presign_put("products/P1.jpg", "image/jpeg", 300);
  EXPECT_NE(query_value(put, "X-Amz-Signature"),
            query_value(aws.presign_get("products/P1.jpg", 300), "X-Amz-Signature"));

  objects::S3ObjectStore minio("shop-images", "us-east-1", "http://127.0.0.1:9000", "AKID", "SECRET", clock);
  EXPECT_EQ(minio.presign_get("products/P1.jpg", 60).rfind("http://127.0.0.1:9000/shop-images/products/P1.jpg?", 0),
            0u);
}

// --- Keys and the local store ---------------------------------------------------

TEST(ObjectKeys, RelativeKeysOnly) {
  EXPECT_TRUE(objects::is_safe_key("products/P001.jpg"));
  EXPECT_TRUE(objects::is_safe_key("a..b/c.png"));
  for (const char* bad : {"", "/etc/passwd", "../x", "products/../../x", "products/..", "a//b", "a\\b.png", "./a",
                          "a/./b", "products/", "a\nb"})
    EXPECT_FALSE(objects::is_safe_key(bad)) << bad;
  EXPECT_EQ(objects::content_type_for_key("products/P1.JPG"), "image/jpeg");
  EXPECT_EQ(objects::content_type_for_key("products/P1.png"), "image/png");
  EXPECT_EQ(objects::content_type_for_key("products/P1.webp"), "image/webp");
  EXPECT_EQ(objects::content_type_for_key("products.x/P1"), "application/octet-stream");
}

TEST(LocalStore, SignedUrlsExpireAndRefuseTampering) {
  auto dir = make_temp_dir("cr-catalog-");
  FakeClock clock;
  std::string secret = objects::LocalObjectStore::load_or_create_secret(dir);
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/media-signing.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(objects::LocalObjectStore::load_or_create_secret(dir), secret);  // persisted

  objects::LocalObjectStore store(fs::path(dir) / "media", "http://shop.example/dev", secret, clock);
  ASSERT_TRUE(store.put("products/P1.png", "png-bytes", "image/png").ok());
  auto url = store.presign_get("products/P1.png", 300);
  EXPECT_EQ(url.rfind("http://shop.example/dev/media/products/P1.png?expires=", 0), 0u) << url;
  auto expires = query_value(url, "expires");
  auto sig = query_value(url, "signature");

  EXPECT_TRUE(store.verify("GET", "products/P1.png", expires, sig).ok());
  EXPECT_EQ(store.read("products/P1.png").value(), "png-bytes");
  // Another method, key, expiry or signature: 403.
  EXPECT_EQ(store.verify("PUT", "products/P1.png", expires, sig).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(store.verify("GET", "products/P2.png", expires, sig).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(store.verify("GET", "products/P1.png", std::to_string(std::stoll(expires) + 1000), sig).error().code,
            ErrorCode::kForbidden);
  std::string tampered = sig;
  tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(store.verify("GET", "products/P1.png", expires, tampered).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(store.verify("GET", "products/P1.png", "", "").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(store.verify("GET", "products/P1.png", "12abc", sig).error().code, ErrorCode::kForbidden);
  // Expired: one second past.
  clock.advance_ms(301'000);
  EXPECT_EQ(store.verify("GET", "products/P1.png", expires, sig).error().code, ErrorCode::kForbidden);
  // Escaping keys: 400, and nothing written outside the media folder.
  EXPECT_EQ(store.verify("GET", "../media-signing.key", expires, sig).error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(store.read("../media-signing.key").error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(store.put("../evil.png", "x", "image/png").error().code, ErrorCode::kBadRequest);
  EXPECT_FALSE(fs::exists(fs::path(dir) / "evil.png"));
  EXPECT_EQ(store.read("products/none.png").error().code, ErrorCode::kNotFound);
}

TEST(DemoImages, AreValidPngs) {
  std::string png = product::demo_image(0x2E86DE);
  ASSERT_GT(png.size(), 50u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(png.substr(png.size() - 8, 4), "IEND");
  EXPECT_GE(product::demo_catalog().size(), 20u);
  EXPECT_EQ(std::string(product::demo_catalog()[0].product_id), "P001");
  EXPECT_EQ(product::demo_catalog()[0].price_minor, 2999);
}

// --- Product service over SQLite -----------------------------------------------

class ProductServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!fresh.available()) GTEST_SKIP() << cloudretail::testing::kNoTestPostgres;
    db = open_catalog(fresh, 4);
    repo = std::make_unique<product::SqlProductRepository>(*db);
    cache = std::make_unique<product::CachedProductRepository>(*repo, clock);  // as the binary wires it
    store = std::make_unique<objects::LocalObjectStore>(fs::path(dir) / "media", "http://h:1",
                                                        objects::LocalObjectStore::load_or_create_secret(dir), clock);
    service = std::make_unique<product::ProductService>(*cache, *store, clock, 300);
  }
  void TearDown() override {
    service.reset();
    store.reset();
    cache.reset();
    repo.reset();
    db.reset();
  }
  product::Product make(std::string id, std::string category = "Electronics") {
    return {std::move(id), "Thing", std::move(category), 2999, "USD", std::nullopt, 0};
  }

  FreshDatabase fresh{GetParam(), "cr-catalog-"};
  const std::string dir = fresh.dir();  // the local object store's files, beside the SQLite file
  FakeClock clock;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<product::SqlProductRepository> repo;
  std::unique_ptr<product::CachedProductRepository> cache;
  std::unique_ptr<objects::LocalObjectStore> store;
  std::unique_ptr<product::ProductService> service;
};

TEST_P(ProductServiceTest, CreateValidatesAndRefusesDuplicates) {
  auto created = service->create(make("P001"));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->product.created_at_ms, clock.now_ms());
  EXPECT_FALSE(created->image_url);
  auto dup = service->create(make("P001"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().message, "Product already exists");

  auto expect_400 = [&](product::Product p, const std::string& fragment) {
    auto r = service->create(std::move(p));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
    EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
  };
  expect_400(make(""), "productId");
  expect_400(make(std::string(65, 'a')), "productId");
  expect_400(make("P 1"), "productId");
  expect_400(make("P/1"), "productId");
  auto p = make("P002");
  p.name = "";
  expect_400(p, "name");
  p.name = std::string(201, 'n');
  expect_400(p, "name");
  p = make("P002");
  p.price_minor = 0;
  expect_400(p, "price");
  p = make("P002");
  p.currency = "usd";
  expect_400(p, "currency");
  p = make("P002");
  p.image_key = "../secret.png";
  expect_400(p, "imageKey");
  p.image_key = "/abs.png";
  expect_400(p, "imageKey");

  p = make(std::string(64, 'Z'));
  p.name = std::string(200, 'n');
  p.image_key = "products/Z.png";
  auto ok = service->create(p);
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(ok->image_url);
  EXPECT_NE(ok->image_url->find("/media/products/Z.png?expires="), std::string::npos);
}

TEST_P(ProductServiceTest, PagingThroughAThousandProductsReturnsEachExactlyOnce) {
  std::set<std::string> created;
  {
    // Created straight through the repository to keep the test fast.
    std::mt19937 rng(7);
    for (int i = 0; i < 1000; ++i) {
      std::string id = "K" + std::to_string(rng() % 1000000) + "-" + std::to_string(i);
      auto p = make(id, i % 3 == 0 ? "Books" : "Home");
      p.created_at_ms = clock.now_ms();
      ASSERT_TRUE(repo->insert(p));
      created.insert(id);
    }
  }
  auto walk = [&](int limit, std::optional<std::string> category) {
    std::vector<std::string> seen;
    std::string token;
    int pages = 0;
    for (;;) {
      auto page = service->list(limit, token, category);
      EXPECT_TRUE(page.ok());
      if (!page.ok()) break;
      EXPECT_LE(static_cast<int>(page->items.size()), limit);
      for (auto& v : page->items) seen.push_back(v.product.product_id);
      ++pages;
      if (!page->next_token) break;
      token = *page->next_token;
    }
    return std::make_pair(seen, pages);
  };
  auto [all, pages] = walk(100, std::nullopt);
  EXPECT_EQ(pages, 10);
  EXPECT_EQ(all.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), created);

  auto [odd, odd_pages] = walk(37, std::nullopt);
  EXPECT_EQ(odd.size(), 1000u);
  EXPECT_EQ(odd_pages, 28);
  EXPECT_EQ(std::set<std::string>(odd.begin(), odd.end()).size(), 1000u);

  auto [books, book_pages] = walk(50, std::string("Books"));
  EXPECT_EQ(books.size(), 334u);
  EXPECT_EQ(std::set<std::string>(books.begin(), books.end()).size(), 334u);
  for (auto& id : books) EXPECT_TRUE(created.count(id));

  // Exactly a page full: no nextToken on the last one.
  auto exact = service->list(100, "", std::nullopt);
  ASSERT_TRUE(exact.ok());
  EXPECT_TRUE(exact->next_token.has_value());
}

TEST_P(ProductServiceTest, ListRefusesBadLimitsAndForgedTokens) {
  ASSERT_TRUE(service->create(make("P001")).ok());
  EXPECT_EQ(service->list(0, "", std::nullopt).error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(service->list(101, "", std::nullopt).error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(service->list(10, "!!!", std::nullopt).error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(service->list(10, crypto::base64url_encode("a b"), std::nullopt).error().code, ErrorCode::kBadRequest);
  auto one = service->list(1, "", std::nullopt);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->items.size(), 1u);
  EXPECT_FALSE(one->next_token);  // the only product: nothing remains
}

TEST_P(ProductServiceTest, ImageUploadSetsTheKey) {
  ASSERT_TRUE(service->create(make("P001")).ok());
  EXPECT_EQ(service->create_image_upload("P001", "image/gif").error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(service->create_image_upload("NOPE", "image/jpeg").error().code, ErrorCode::kNotFound);
  auto up = service->create_image_upload("P001", "image/jpeg");
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->image_key, "products/P001.jpg");
  EXPECT_EQ(up->expires_in, 300);
  EXPECT_NE(up->upload_url.find("/media/products/P001.jpg?expires="), std::string::npos);
  auto got = service->get("P001");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->product.image_key.value_or(""), "products/P001.jpg");
  EXPECT_EQ(service->create_image_upload("P001", "image/webp")->image_key, "products/P001.webp");
  EXPECT_EQ(service->summary("P001")->price_minor, 2999);
  EXPECT_EQ(service->summary("NOPE").error().message, "Product not found");
}

TEST_P(ProductServiceTest, SeedIsIdempotent) {
  service->seed_demo_catalog();
  service->seed_demo_catalog();
  auto page = service->list(100, "", std::nullopt);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), product::demo_catalog().size());
  EXPECT_EQ(page->items[0].product.name, "Wireless Mouse");
  ASSERT_TRUE(page->items[0].image_url);
  EXPECT_EQ(store->read("products/P001.png").value().substr(1, 3), "PNG");
}

// --- Inventory service over SQLite -------------------------------------------

class InventoryServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!fresh.available()) GTEST_SKIP() << cloudretail::testing::kNoTestPostgres;
    db = open_catalog(fresh, 16);
    repo = std::make_unique<inventory::InventoryRepository>(*db);
    service = std::make_unique<inventory::InventoryService>(*repo, clock);
  }
  void TearDown() override {
    service.reset();
    repo.reset();
    db.reset();
  }
  FreshDatabase fresh{GetParam(), "cr-catalog-"};
  const std::string dir = fresh.dir();  // the local object store's files, beside the SQLite file
  FakeClock clock;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<inventory::InventoryRepository> repo;
  std::unique_ptr<inventory::InventoryService> service;
};

TEST_P(InventoryServiceTest, UnknownIsZeroAndSetValidates) {
  auto none = service->get("P404");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->available_qty, 0);
  EXPECT_FALSE(none->updated_at_ms);
  EXPECT_EQ(service->set("P1", -1, 0).error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(service->set("P1", std::nullopt, std::nullopt).error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(service->set("bad id", 1, 0).error().code, ErrorCode::kBadRequest);
  auto set = service->set("P1", 10, 2);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->available_qty, 10);
  EXPECT_EQ(set->reserved_qty, 2);
  EXPECT_EQ(*set->updated_at_ms, clock.now_ms());
  EXPECT_EQ(service->set("P1", 7, std::nullopt)->reserved_qty, 2);  // an absent figure is kept
}

TEST_P(InventoryServiceTest, ReserveAndReleaseAreConditional) {
  ASSERT_TRUE(service->set("P1", 5, 0).ok());
  auto r = service->reserve("P1", 3, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->available_qty, 2);
  EXPECT_EQ(r->reserved_qty, 3);
  auto out = service->reserve("P1", 3, "");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kConflict);
  EXPECT_EQ(out.error().message, "Out of stock");
  EXPECT_EQ(service->get("P1")->available_qty, 2);  // nothing changed
  EXPECT_EQ(service->reserve("P404", 1, "").error().code, ErrorCode::kConflict);
  EXPECT_EQ(service->release("P1", 4, "").error().code, ErrorCode::kConflict);
  EXPECT_EQ(service->get("P1")->reserved_qty, 3);
  EXPECT_EQ(service->reserve("P1", 0, "").error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(service->reserve("P1", 1'000'001, "").error().code, ErrorCode::kBadRequest);
  auto back = service->release("P1", 3, "");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->available_qty, 5);
  EXPECT_EQ(back->reserved_qty, 0);
}

TEST_P(InventoryServiceTest, ReservationIdsMakeCallsIdempotent) {
  ASSERT_TRUE(service->set("P1", 10, 0).ok());
  EXPECT_EQ(service->reserve("P1", 4, "O-1")->reserved_qty, 4);
  EXPECT_EQ(service->reserve("P1", 4, "O-1")->reserved_qty, 4);  // replay: nothing more
  EXPECT_EQ(service->reserve("P1", 4, "O-2")->reserved_qty, 8);
  // Refused reservation leaves no claim behind.
  EXPECT_FALSE(service->reserve("P1", 5, "O-3").ok());
  EXPECT_EQ(service->reserve("P1", 2, "O-3")->reserved_qty, 10);
  EXPECT_EQ(service->release("P1", 4, "O-1")->reserved_qty, 6);
  EXPECT_EQ(service->release("P1", 4, "O-1")->reserved_qty, 6);   // second release: no-op
  EXPECT_EQ(service->release("P1", 99, "O-2")->reserved_qty, 2);  // only what O-2 holds
  EXPECT_EQ(service->release("P1", 1, "never")->reserved_qty, 2);
  auto level = service->get("P1");
  EXPECT_EQ(level->available_qty + level->reserved_qty, 10);
}

TEST_P(InventoryServiceTest, SixteenThreadsKeepCountsExactAndNeverNegative) {
  constexpr int kThreads = 16, kCalls = 500;
  constexpr int64_t kStock = 100;
  ASSERT_TRUE(service->set("P1", kStock, 0).ok());
  std::atomic<int64_t> reserved{0}, released{0}, refused{0}, negative{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      int64_t mine = 0;  // what this thread holds, so its releases are always legitimate
      for (int i = 0; i < kCalls; ++i) {
        int64_t qty = 1 + rng() % 7;
        bool do_release = mine >= qty && rng() % 2 == 0;
        auto r = do_release ? service->release("P1", qty, "") : service->reserve("P1", qty, "");
        if (r.ok()) {
          if (r->available_qty < 0 || r->reserved_qty < 0) ++negative;
          if (r->available_qty + r->reserved_qty != kStock) ++errors;
          (do_release ? released : reserved) += qty;
          mine += do_release ? -qty : qty;
        } else if (r.error().code == ErrorCode::kConflict && !do_release) {
          ++refused;
        } else {
          ++errors;
        }
      }
    });
  for (auto& t : threads) t.join();
  auto level = service->get("P1");
  ASSERT_TRUE(level.ok());
  EXPECT_EQ(negative.load(), 0);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(refused.load(), 0);  // the stock is small enough that some must be refused
  EXPECT_EQ(level->reserved_qty, reserved.load() - released.load());
  EXPECT_EQ(level->available_qty, kStock - level->reserved_qty);
}

TEST_P(InventoryServiceTest, ListPagesByProductId) {
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(service->set("P" + std::to_string(100 + i), i, 0).ok());
  std::vector<std::string> ids;
  std::string after;
  for (;;) {
    auto page = service->list(after, 10);
    ASSERT_TRUE(page.ok());
    for (auto& s : page->items) ids.push_back(s.product_id);
    if (!page->next_after) break;
    after = *page->next_after;
  }
  EXPECT_EQ(ids.size(), 25u);
  EXPECT_EQ(ids.front(), "P100");
  EXPECT_EQ(ids.back(), "P124");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ProductServiceTest, ::testing::Values(Backend::kSqlite),
                         [](const auto&) { return std::string("Sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, ProductServiceTest, ::testing::Values(Backend::kPostgres),
                         [](const auto&) { return std::string("Postgres"); });
INSTANTIATE_TEST_SUITE_P(Sqlite, InventoryServiceTest, ::testing::Values(Backend::kSqlite),
                         [](const auto&) { return std::string("Sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, InventoryServiceTest, ::testing::Values(Backend::kPostgres),
                         [](const auto&) { return std::string("Postgres"); });
