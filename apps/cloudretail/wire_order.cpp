#include "wiring.hpp"

namespace cloudretail::app {

// The order service is added by its issue.
void wire_order(App& app) { (void)app; }

}  // namespace cloudretail::app
