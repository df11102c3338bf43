// Compiled as payment sees its peers (tests/architecture/CMakeLists.txt): a peer's
// client headers are visible...
#include "order/order_client.hpp"
#include "order/order_codec.hpp"
#include "order/order_http_client.hpp"

int probe_peer_client() { return 0; }
