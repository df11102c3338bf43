#pragma once
/// The notification service's wire format, in one place: POST /notifications/{type}
/// bodies and answers, written and read by the routes and by the HTTP client
/// (notification_http_client).
#include <boost/json/object.hpp>
#include <string>

#include "core/result.hpp"
#include "notification/notification_client.hpp"

namespace cloudretail::notification {

/// {"email","userId","orderId"?,"amount"?,"currency"?,"trackingNumber"?,"code"?};
/// amount and currency only for the types that carry money.
std::string write_email_request(const EmailRequest& r);
/// Errors: 400 ValidationError for a field of the wrong type or a missing or
/// invalid amount (the content rules are the service's).
Result<EmailRequest> read_email_request(EmailType type, const boost::json::object& body);

/// 200 {"message":"Notification sent",...} when delivered, else 202 "Notification queued".
int outcome_status(const NotificationOutcome& o);
std::string write_outcome(const NotificationOutcome& o);
/// `sent` fills what an answer leaves out.
NotificationOutcome read_outcome(int status, const boost::json::object& body, const EmailRequest& sent);

}  // namespace cloudretail::notification
