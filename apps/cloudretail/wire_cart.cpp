#include "wiring.hpp"

namespace cloudretail::app {

// The cart service is added by its issue.
void wire_cart(App& app) { (void)app; }

}  // namespace cloudretail::app
