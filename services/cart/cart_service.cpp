#include "cart/cart_service.hpp"

#include <algorithm>

#include "cart/cart_repository.hpp"

namespace cloudretail::cart {

namespace {
constexpr int kMaxAttempts = 8;  // optimistic retries when two writers race on one cart

Error inventory_error(const Error& e) {
  // Any inventory failure while checking stock is the peer's problem, never a 500.
  if (e.code == ErrorCode::kNotFound) return not_found("Product not found");
  return unavailable("Inventory service error");
}

Error cart_conflict() { return conflict("Cart changed concurrently, please retry", "CartConflict"); }
}  // namespace

Result<CartSnapshot> CartService::get(const std::string& user_id) { return with_catalog(repo_.load(user_id)); }

CartSnapshot CartService::with_catalog(CartSnapshot cart) {
  for (auto& line : cart.items) {
    auto product = products_.get(line.product_id);
    if (product) {
      line.price_minor = product->price_minor;  // what checkout will charge
    } else if (product.error().code == ErrorCode::kNotFound) {
      line.available = false;  // archived: checkout refuses it until removed
    }
  }
  return cart;
}

Result<CartSnapshot> CartService::add_item(const std::string& user_id, const std::string& product_id, int64_t qty,
                                           std::optional<int64_t> price_minor) {
  return change(user_id, product_id, qty, price_minor, Mode::kAdd);
}

Result<CartSnapshot> CartService::update_item(const std::string& user_id, const std::string& product_id, int64_t qty,
                                              std::optional<int64_t> price_minor) {
  return change(user_id, product_id, qty, price_minor, Mode::kSet);
}

Result<CartSnapshot> CartService::change(const std::string& user_id, const std::string& product_id, int64_t qty,
                                         std::optional<int64_t> price_minor, Mode mode) {
  if (mode == Mode::kSet) {
    // A missing line is reported before asking any peer.
    auto cart = repo_.load(user_id);
    bool present = std::any_of(cart.items.begin(), cart.items.end(),
                               [&](const CartLine& l) { return l.product_id == product_id; });
    if (!present) return not_found("Item not in cart");
  }
  auto product = products_.get(product_id);
  if (!product) {
    if (product.error().code == ErrorCode::kNotFound) return not_found("Product not found");
    return product.error();
  }
  if (price_minor && *price_minor != product->price_minor) {
    Error e = conflict("Price changed", "PriceChanged");
    e.with_string("productId", product_id).with_money("price", product->price_minor);
    return e;
  }

  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    CartSnapshot cart = repo_.load(user_id);
    auto it = std::find_if(cart.items.begin(), cart.items.end(),
                           [&](const CartLine& l) { return l.product_id == product_id; });
    if (mode == Mode::kSet && it == cart.items.end()) return not_found("Item not in cart");
    int64_t new_qty = (mode == Mode::kAdd && it != cart.items.end()) ? it->qty + qty : qty;
    int64_t total = new_qty;
    for (const auto& l : cart.items)
      if (l.product_id != product_id) total += l.qty;
    if (total > kMaxCartQty) return bad_request("Cart quantity cannot exceed 1000");
    if (it == cart.items.end() && cart.items.size() >= kMaxDistinctItems)
      return bad_request("Cart cannot hold more than 100 distinct items");

    // Peer call with no connection held (see db/database.hpp).
    auto stock = inventory_.get(product_id);
    if (!stock) return inventory_error(stock.error());
    if (stock->available_qty < new_qty) {
      if (stock_outs_) stock_outs_->fetch_add(1, std::memory_order_relaxed);
      Error e = conflict("Out of stock");
      e.with_string("productId", product_id)
          .with_number("availableQty", stock->available_qty)
          .with_number("requestedQty", new_qty);
      return e;
    }

    CartLine line{product_id, new_qty, product->price_minor, product->currency, true};
    if (it == cart.items.end())
      cart.items.push_back(line);
    else
      *it = line;
    int64_t now = clock_.now_ms();
    if (repo_.save_if_version(user_id, cart.version, cart.items, now)) {
      cart.version = cart.version + 1;
      cart.updated_at_ms = now;
      return with_catalog(std::move(cart));
    }
  }
  return cart_conflict();
}

Result<CartSnapshot> CartService::remove_item(const std::string& user_id, const std::string& product_id) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    CartSnapshot cart = repo_.load(user_id);
    auto it = std::find_if(cart.items.begin(), cart.items.end(),
                           [&](const CartLine& l) { return l.product_id == product_id; });
    if (it == cart.items.end()) return not_found("Item not in cart");
    cart.items.erase(it);
    int64_t now = clock_.now_ms();
    if (repo_.save_if_version(user_id, cart.version, cart.items, now)) {
      cart.version += 1;
      cart.updated_at_ms = now;
      return with_catalog(std::move(cart));
    }
  }
  return cart_conflict();
}

Status CartService::clear(const std::string& user_id) {
  repo_.clear(user_id, std::nullopt, clock_.now_ms());  // no cart row: nothing to clear
  return ok_status();
}

Result<CartSnapshot> LocalCartClient::get(const std::string& user_id) { return repo_.load(user_id); }

Result<bool> LocalCartClient::clear_if_version(const std::string& user_id, int64_t version,
                                               const std::string& taken_by) {
  return repo_.clear(user_id, version, clock_.now_ms(), taken_by);
}

Result<bool> LocalCartClient::restore(const std::string& user_id, const std::string& taken_by,
                                      const std::vector<CartLine>& items) {
  return repo_.restore(user_id, taken_by, items, clock_.now_ms());
}

}  // namespace cloudretail::cart
