#pragma once
/// One function per service: build it (or an HTTP client to its remote
/// instance), add its routes, migrations and background work to the App.
/// Called in dependency order by wire_all.
#include "app.hpp"

namespace cloudretail::app {

void wire_notification(App& app);
void wire_auth(App& app);
void wire_inventory(App& app);
void wire_product(App& app);
void wire_cart(App& app);
void wire_payment_ledger(App& app);
void wire_order(App& app);
void wire_payment(App& app);
void wire_health(App& app);
void wire_dbtest(App& app);
void wire_web(App& app);
void wire_apidocs(App& app);

inline void wire_all(App& app) {
  wire_notification(app);
  wire_auth(app);
  wire_inventory(app);
  wire_product(app);
  wire_cart(app);
  wire_payment_ledger(app);  // refunds: the order service records them through it
  wire_order(app);
  wire_payment(app);
  wire_health(app);
  wire_dbtest(app);
  wire_web(app);
  wire_apidocs(app);
}

}  // namespace cloudretail::app
