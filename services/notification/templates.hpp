#pragma once
/// The four email templates (the original's three plus the verification code):
/// subject, plain text and HTML, with APP_NAME as the shop's name. Values are
/// HTML-escaped in the HTML part; the text part carries them as they are.
#include <string>
#include <string_view>

#include "notification/notification_client.hpp"

namespace cloudretail::notification {

struct RenderedEmail {
  std::string subject;
  std::string text;  // lines separated by "\n"
  std::string html;  // lines separated by "\n"
};

/// Renders a validated request. Pure: no clock, no I/O.
RenderedEmail render_email(const EmailRequest& request, std::string_view app_name);

}  // namespace cloudretail::notification
