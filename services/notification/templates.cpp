#include "notification/templates.hpp"

#include <fmt/format.h>

#include "core/html_escape.hpp"
#include "core/money.hpp"

namespace cloudretail::notification {

namespace {

// The HTML part: a minimal document around the original's fragment. One element
// per line keeps quoted-printable lines short, so codes and ids are never split.
std::string html_document(std::string_view title, std::string_view body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n"
      "<body>\n{}</body>\n</html>\n",
      title, body);
}

std::string sign_off_html(std::string_view app_html) { return fmt::format("<p>Thanks,<br/>{}</p>\n", app_html); }
std::string sign_off_text(std::string_view app) { return fmt::format("Thanks,\n{}\n", app); }

}  // namespace

RenderedEmail render_email(const EmailRequest& r, std::string_view app_name) {
  const std::string app = std::string(app_name);
  const std::string app_h = html_escape(app_name);
  const std::string user_h = html_escape(r.user_id);
  const std::string order_h = html_escape(r.order_id);
  RenderedEmail e;
  switch (r.type) {
    case EmailType::kUserRegistered: {
      e.subject = fmt::format("Welcome to {} \xF0\x9F\x8E\x89", app);
      e.html = html_document(html_escape(e.subject),
                             fmt::format("<h2>Welcome to {} \xF0\x9F\x8E\x89</h2>\n"
                                         "<p>Hi <b>{}</b>, your account has been created successfully.</p>\n{}",
                                         app_h, user_h, sign_off_html(app_h)));
      e.text = fmt::format("Welcome to {}!\n\nHi {}, your account has been created successfully.\n\n{}", app, r.user_id,
                           sign_off_text(app));
      break;
    }
    case EmailType::kOrderConfirmed: {
      const std::string total = format_money(r.amount_minor) + " " + r.currency;
      e.subject = fmt::format("\xE2\x9C\x85 Order Confirmed - {} order {}", app, r.order_id);
      e.html =
          html_document(html_escape(e.subject), fmt::format("<h2>\xE2\x9C\x85 Order Confirmed</h2>\n"
                                                            "<p>Hi <b>{}</b>,</p>\n"
                                                            "<p>Your order <b>{}</b> is confirmed.</p>\n"
                                                            "<p><b>Total:</b> {}</p>\n{}",
                                                            user_h, order_h, html_escape(total), sign_off_html(app_h)));
      e.text = fmt::format("Hi {},\n\nYour order {} is confirmed.\nTotal: {}\n\n{}", r.user_id, r.order_id, total,
                           sign_off_text(app));
      break;
    }
    case EmailType::kPaymentFailed: {
      e.subject = fmt::format("\xE2\x9D\x8C Payment Failed - {} order {}", app, r.order_id);
      e.html = html_document(html_escape(e.subject), fmt::format("<h2>\xE2\x9D\x8C Payment Failed</h2>\n"
                                                                 "<p>Hi <b>{}</b>,</p>\n"
                                                                 "<p>Your payment for order <b>{}</b> failed.</p>\n"
                                                                 "<p>Please try again.</p>\n{}",
                                                                 user_h, order_h, sign_off_html(app_h)));
      e.text = fmt::format("Hi {},\n\nYour payment for order {} failed.\nPlease try again.\n\n{}", r.user_id,
                           r.order_id, sign_off_text(app));
      break;
    }
    case EmailType::kOrderShipped: {
      e.subject = fmt::format("\xF0\x9F\x93\xA6 Order Shipped - {} order {}", app, r.order_id);
      std::string tracking_html, tracking_text;
      if (!r.tracking_number.empty()) {
        tracking_html = fmt::format("<p><b>Tracking number:</b> {}</p>\n", html_escape(r.tracking_number));
        tracking_text = fmt::format("Tracking number: {}\n", r.tracking_number);
      }
      e.html = html_document(html_escape(e.subject), fmt::format("<h2>\xF0\x9F\x93\xA6 Order Shipped</h2>\n"
                                                                 "<p>Hi <b>{}</b>,</p>\n"
                                                                 "<p>Your order <b>{}</b> is on its way.</p>\n{}{}",
                                                                 user_h, order_h, tracking_html, sign_off_html(app_h)));
      e.text = fmt::format("Hi {},\n\nYour order {} is on its way.\n{}\n{}", r.user_id, r.order_id, tracking_text,
                           sign_off_text(app));
      break;
    }
    case EmailType::kOrderRefunded: {
      const std::string amount = format_money(r.amount_minor) + " " + r.currency;
      e.subject = fmt::format("Order Refunded - {} order {}", app, r.order_id);
      e.html = html_document(html_escape(e.subject),
                             fmt::format("<h2>Order Refunded</h2>\n"
                                         "<p>Hi <b>{}</b>,</p>\n"
                                         "<p>Your order <b>{}</b> has been refunded.</p>\n"
                                         "<p><b>Refund:</b> {}</p>\n{}",
                                         user_h, order_h, html_escape(amount), sign_off_html(app_h)));
      e.text = fmt::format("Hi {},\n\nYour order {} has been refunded.\nRefund: {}\n\n{}", r.user_id, r.order_id,
                           amount, sign_off_text(app));
      break;
    }
    case EmailType::kVerificationCode: {
      // The code comes first and on a line of its own in both parts, so a reader
      // (or a test's regex) finds it before any other number in the message.
      e.subject = fmt::format("Your {} verification code", app);
      e.html = html_document(html_escape(e.subject),
                             fmt::format("<h2>Your {} verification code</h2>\n"
                                         "<p style=\"font-size:24px\"><b>\n{}\n</b></p>\n"
                                         "<p>Enter this code to confirm your email address.</p>\n"
                                         "<p>If you did not ask for it, you can ignore this email.</p>\n{}",
                                         app_h, html_escape(r.code), sign_off_html(app_h)));
      e.text = fmt::format(
          "Your {} verification code is:\n\n{}\n\nEnter this code to confirm your email address.\n"
          "If you did not ask for it, you can ignore this email.\n\n{}",
          app, r.code, sign_off_text(app));
      break;
    }
    case EmailType::kPasswordResetCode: {
      // Like the verification code: the code first, on a line of its own.
      e.subject = fmt::format("Your {} password reset code", app);
      e.html = html_document(html_escape(e.subject),
                             fmt::format("<h2>Your {} password reset code</h2>\n"
                                         "<p style=\"font-size:24px\"><b>\n{}\n</b></p>\n"
                                         "<p>Enter this code to choose a new password. It expires in one hour.</p>\n"
                                         "<p>If you did not ask for it, you can ignore this email: your password "
                                         "stays as it is.</p>\n{}",
                                         app_h, html_escape(r.code), sign_off_html(app_h)));
      e.text = fmt::format(
          "Your {} password reset code is:\n\n{}\n\nEnter this code to choose a new password. It expires in one "
          "hour.\nIf you did not ask for it, you can ignore this email: your password stays as it is.\n\n{}",
          app, r.code, sign_off_text(app));
      break;
    }
  }
  return e;
}

}  // namespace cloudretail::notification
