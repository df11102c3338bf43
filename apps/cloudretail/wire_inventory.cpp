#include "wiring.hpp"

namespace cloudretail::app {

// The inventory service is added by its issue.
void wire_inventory(App& app) { (void)app; }

}  // namespace cloudretail::app
