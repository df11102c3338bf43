// ...and nothing else of it is: this must not compile (the test expects the
// compiler to say the header is not found).
#include "order/order_repository.hpp"

int probe_peer_internal() { return 0; }
