#include "wiring.hpp"

namespace cloudretail::app {

// The payment service is added by its issue.
void wire_payment(App& app) { (void)app; }

}  // namespace cloudretail::app
