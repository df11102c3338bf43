#include "wiring.hpp"

namespace cloudretail::app {

// The notification service is added by its issue.
void wire_notification(App& app) { (void)app; }

}  // namespace cloudretail::app
