#pragma once
#include "http/router.hpp"
#include "notification/notification_service.hpp"

namespace cloudretail::notification {

/// POST /notifications/{user-registered,order-confirmed,payment-failed,verification-code}
/// (internal: admin token or X-Service-Token).
void register_routes(http::Router& router, NotificationService& service);

}  // namespace cloudretail::notification
