#include "wiring.hpp"

namespace cloudretail::app {

// The auth service is added by its issue.
void wire_auth(App& app) { (void)app; }

}  // namespace cloudretail::app
