#pragma once
/// The NotificationClient over HTTP, for a peer in another process (split
/// deployment): POST /notifications/{type} with the service token.
#include <string>

#include "http/peer_call.hpp"
#include "notification/notification_client.hpp"

namespace cloudretail::notification {

class HttpNotificationClient final : public NotificationClient {
 public:
  HttpNotificationClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Notification service error") {}
  Result<NotificationOutcome> send(const EmailRequest& request) override;

 private:
  http::Peer peer_;
};

}  // namespace cloudretail::notification
