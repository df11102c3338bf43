#include "notification/notification_routes.hpp"

#include "core/json_read.hpp"
#include "notification/notification_codec.hpp"

namespace cloudretail::notification {

void register_routes(http::Router& router, NotificationService& service) {
  for (EmailType type :
       {EmailType::kUserRegistered, EmailType::kOrderConfirmed, EmailType::kPaymentFailed, EmailType::kVerificationCode,
        EmailType::kOrderShipped, EmailType::kOrderRefunded, EmailType::kPasswordResetCode}) {
    router.add(http::Method::kPost, "/notifications/" + std::string(email_type_name(type)),
               [&service, type](http::Request& req) -> Result<http::Response> {
                 auto body = parse_json_object(req.body);
                 if (!body) return body.error();
                 auto request = read_email_request(type, *body);
                 if (!request) return request.error();
                 auto outcome = service.send(*request);
                 if (!outcome) return outcome.error();
                 return http::Response::json(outcome_status(*outcome), write_outcome(*outcome));
               });
  }
}

}  // namespace cloudretail::notification
