#pragma once
/// One function per service that runs here: build it from the peers it calls
/// (passed in, never looked up), add its routes, migrations and background work to
/// the App, and return the client its own callers reach it through. wire_all
/// builds the remote peers, then calls these.
#include "app.hpp"

namespace cloudretail::app {

std::shared_ptr<notification::LocalNotificationClient> wire_notification(App& app);
/// `notifications` may be null (codes are then not mailed, with a warning).
std::shared_ptr<const authn::TokenVerifier> wire_auth(App& app,
                                                      std::shared_ptr<notification::NotificationClient> notifications);
std::shared_ptr<inventory::InventoryClient> wire_inventory(App& app);
std::shared_ptr<product::ProductClient> wire_product(App& app);
std::shared_ptr<cart::CartClient> wire_cart(App& app, product::ProductClient& products,
                                            inventory::InventoryClient& inventory);
/// The refund ledger orders record refunds through; the rest of payment comes after orders.
std::shared_ptr<payment::PaymentClient> wire_payment_ledger(App& app);
/// `notifications` and `payments` may be null.
std::shared_ptr<order::OrderClient> wire_order(App& app, cart::CartClient& carts, product::ProductClient& products,
                                               inventory::InventoryClient& inventory,
                                               notification::NotificationClient* notifications,
                                               payment::PaymentClient* payments);
/// `notifications` and `outbox` may be null (the outbox is when notifications run here).
void wire_payment(App& app, order::OrderClient& orders, notification::NotificationClient* notifications,
                  notification::NotificationOutbox* outbox, payment::PaymentClient& ledger);
void wire_health(App& app);
void wire_dbtest(App& app);
void wire_web(App& app);
void wire_apidocs(App& app);

/// Every 10 s, memory the allocator holds but nobody uses goes back to the system (after
/// a flood of connections glibc keeps the freed buffers in its per-thread arenas).
void give_back_free_memory(App& app);

/// Call after check_peers (build_app does): it relies on every needed peer.
void wire_all(App& app);

}  // namespace cloudretail::app
