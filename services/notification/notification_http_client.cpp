#include "notification/notification_http_client.hpp"

#include "notification/notification_codec.hpp"

namespace cloudretail::notification {

Result<NotificationOutcome> HttpNotificationClient::send(const EmailRequest& r) {
  auto reply =
      peer_.call(http::Method::kPost, "/notifications/" + std::string(email_type_name(r.type)), write_email_request(r));
  if (!reply) return std::move(reply).error();
  if (reply->status != 200 && reply->status != 202) return http::Peer::error_from(*reply);
  return read_outcome(reply->status, reply->body, r);
}

}  // namespace cloudretail::notification
