#pragma once
/// What other services (checkout) may ask of the cart. Implementations: in-process
/// (LocalCartClient, cart_service.hpp) and HTTP (cart_http_client.hpp).
/// Errors: kUnavailable "Cart service error" when unreachable.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace cloudretail::cart {

struct CartLine {
  std::string product_id;
  int64_t qty = 0;
  int64_t price_minor = 0;  // catalog price when the line was last written
  std::string currency;
  /// Shown by GET /cart: false once the product is archived (the line stays until
  /// the user removes it). Not stored.
  bool available = true;
};

/// A cart as read at one moment; `version` moves on every change, so a reader
/// can later clear exactly what it read (checkout) and nothing newer.
struct CartSnapshot {
  std::string user_id;
  std::vector<CartLine> items;
  int64_t version = 0;                   // 0 = no cart yet
  std::optional<int64_t> updated_at_ms;  // absent for a cart never written
};

class CartClient {
 public:
  virtual ~CartClient() = default;
  virtual Result<CartSnapshot> get(const std::string& user_id) = 0;
  /// Empties the cart only if it is still at `version`; false when it changed
  /// (or was already taken by a concurrent checkout). `taken_by` (an order id) is
  /// remembered until the cart is next written, so restore() can undo the take.
  virtual Result<bool> clear_if_version(const std::string& user_id, int64_t version,
                                        const std::string& taken_by = {}) = 0;
  /// Puts `items` back if the cart was emptied by `taken_by` and not written since
  /// (a checkout that died after taking the cart); false otherwise.
  virtual Result<bool> restore(const std::string& user_id, const std::string& taken_by,
                               const std::vector<CartLine>& items) = 0;
};

}  // namespace cloudretail::cart
