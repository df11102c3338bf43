#include "wiring.hpp"

namespace cloudretail::app {

// The product service is added by its issue.
void wire_product(App& app) { (void)app; }

}  // namespace cloudretail::app
