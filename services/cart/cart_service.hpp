#pragma once
/// Cart domain: lines priced from the catalog, stock checked with inventory on
/// every change, limits (qty 1..1000 in total, at most 100 distinct items).
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "cart/cart_client.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "inventory/inventory_client.hpp"
#include "product/product_client.hpp"

namespace cloudretail::cart {

inline constexpr int64_t kMaxCartQty = 1000;
inline constexpr size_t kMaxDistinctItems = 100;

class CartRepository;

class CartService {
 public:
  CartService(CartRepository& repo, product::ProductClient& products, inventory::InventoryClient& inventory,
              const Clock& clock, std::atomic<uint64_t>* stock_outs = nullptr)
      : repo_(repo), products_(products), inventory_(inventory), clock_(clock), stock_outs_(stock_outs) {}

  /// The cart with each line's current catalog price and `available` (false for an
  /// archived product); a catalog that cannot be reached leaves lines as stored.
  Result<CartSnapshot> get(const std::string& user_id);
  /// Adds qty to the line (creating it). price, when given, must equal the catalog price.
  Result<CartSnapshot> add_item(const std::string& user_id, const std::string& product_id, int64_t qty,
                                std::optional<int64_t> price_minor);
  /// Sets the line's qty; 404 "Item not in cart" when absent.
  Result<CartSnapshot> update_item(const std::string& user_id, const std::string& product_id, int64_t qty,
                                   std::optional<int64_t> price_minor);
  Result<CartSnapshot> remove_item(const std::string& user_id, const std::string& product_id);
  Status clear(const std::string& user_id);

 private:
  enum class Mode { kAdd, kSet };
  CartSnapshot with_catalog(CartSnapshot cart);
  Result<CartSnapshot> change(const std::string& user_id, const std::string& product_id, int64_t qty,
                              std::optional<int64_t> price_minor, Mode mode);

  CartRepository& repo_;
  product::ProductClient& products_;
  inventory::InventoryClient& inventory_;
  const Clock& clock_;
  std::atomic<uint64_t>* stock_outs_;
};

/// The in-process client, reading the cart's own tables through its repository.
class LocalCartClient final : public CartClient {
 public:
  LocalCartClient(CartRepository& repo, const Clock& clock) : repo_(repo), clock_(clock) {}
  Result<CartSnapshot> get(const std::string& user_id) override;
  Result<bool> clear_if_version(const std::string& user_id, int64_t version, const std::string& taken_by = {}) override;
  Result<bool> restore(const std::string& user_id, const std::string& taken_by,
                       const std::vector<CartLine>& items) override;

 private:
  CartRepository& repo_;
  const Clock& clock_;
};

}  // namespace cloudretail::cart
