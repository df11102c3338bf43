#include "wiring.hpp"

namespace cloudretail::app {

void wire_all(App& app) {
  const Config& c = app.config;
  Peers& p = app.peers;
  p = remote_peers(c, app.clock);

  // The services that run here, each after the peers it calls: the arguments
  // are the dependency graph, and check_peers has made sure every `need` holds.
  if (c.runs("notification")) {
    auto local = wire_notification(app);
    p.notification = local;
    p.notification_outbox = local;
  }
  if (c.runs("auth")) p.tokens = wire_auth(app, p.notification);
  if (c.runs("inventory")) p.inventory = wire_inventory(app);
  if (c.runs("product")) p.product = wire_product(app);
  if (c.runs("cart")) p.cart = wire_cart(app, need(p.product, "product"), need(p.inventory, "inventory"));
  if (c.runs("payment")) p.payment = wire_payment_ledger(app);
  if (c.runs("order"))
    p.order = wire_order(app, need(p.cart, "cart"), need(p.product, "product"), need(p.inventory, "inventory"),
                         p.notification.get(), p.payment.get());
  if (c.runs("payment"))
    wire_payment(app, need(p.order, "order"), p.notification.get(), p.notification_outbox.get(),
                 need(p.payment, "payment"));

  // Health and the API description run in every process; dbtest and web when named.
  wire_health(app);
  if (c.runs("dbtest")) wire_dbtest(app);
  if (c.runs("web")) wire_web(app);
  wire_apidocs(app);
  give_back_free_memory(app);
}

}  // namespace cloudretail::app
