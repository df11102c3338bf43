#pragma once
/// The peers one process calls, each either the in-process service's client (when
/// `--services` runs it here) or its HTTP client to <NAME>_API_BASE. The remote
/// ones are built first, from Config alone; each local one is added as its service
/// is built, from the peers it calls. A service that needs a peer reachable
/// neither way stops the start (check_peers) rather than losing its routes.
#include <memory>
#include <stdexcept>
#include <string>

#include "authn/authenticator.hpp"
#include "cart/cart_client.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "inventory/inventory_client.hpp"
#include "notification/notification_client.hpp"
#include "order/order_client.hpp"
#include "payment/payment_client.hpp"
#include "product/product_client.hpp"

namespace cloudretail::app {

struct Peers {
  /// Verifies users' bearer tokens: the local signing key, or the auth service's JWKS.
  std::shared_ptr<const authn::TokenVerifier> tokens;
  /// Optional for its callers: without it, emails are skipped with a warning.
  std::shared_ptr<notification::NotificationClient> notification;
  /// The same service's transactional outbox: only when it runs here, on our database.
  std::shared_ptr<notification::NotificationOutbox> notification_outbox;
  std::shared_ptr<inventory::InventoryClient> inventory;
  std::shared_ptr<product::ProductClient> product;
  std::shared_ptr<cart::CartClient> cart;
  std::shared_ptr<order::OrderClient> order;
  /// Records refunds: optional for orders (a refund then has no payment record).
  std::shared_ptr<payment::PaymentClient> payment;
};

/// Throws ConfigError, one line, when a service that runs here needs a peer that
/// neither runs here nor has its <NAME>_API_BASE set: which service needs which
/// peer, and the variable to set. Needs: cart -> product, inventory; order ->
/// cart, product, inventory; payment -> order; product, inventory, cart, order,
/// payment -> auth (their routes take users' tokens).
void check_peers(const Config& config);

/// HTTP clients for every peer that runs elsewhere and has an address; the other
/// members stay empty.
Peers remote_peers(const Config& config, const Clock& clock);

/// The peer check_peers promised; a null one here is a bug in the wiring.
template <typename T>
T& need(const std::shared_ptr<T>& peer, const char* name) {
  if (!peer) throw std::logic_error(std::string("wiring: peer ") + name + " missing after check_peers");
  return *peer;
}

}  // namespace cloudretail::app
